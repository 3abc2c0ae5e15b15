package dev.hkd.api;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import java.util.Map;

/**
 * One distillation method: given both networks' outputs at a step, the loss terms that teach the
 * student. The framework owns everything else — data, the teacher (frozen, never in the
 * optimizer), the optimizer, checkpoints and logging — so a new method is one class plus a
 * {@link DistillerProvider}.
 *
 * <p>Lifecycle per run: {@link #prepare} once; then per training step {@link #loss} inside gradient
 * recording, backward, optimizer step, and {@link #updateState} outside gradient recording.
 *
 * <pre>{@code
 * final class MseLogits implements Distiller {
 *     public LossTerms loss(DistillationStep step) {
 *         NDArray diff = step.student().logits().sub(step.teacher().logits());
 *         return LossTerms.of("mse", diff.square().mean());
 *     }
 * }
 * }</pre>
 */
public interface Distiller {

    /** What this method needs from the data pipeline; {@link DataNeeds#NOTHING} by default. */
    default DataNeeds dataNeeds() {
        return DataNeeds.NOTHING;
    }

    /** What this method needs from the forward passes; logits and post-activation features by default. */
    default ModelNeeds modelNeeds() {
        return ModelNeeds.FEATURES;
    }

    /** Builds modules and state from the networks' feature shapes. Called once, before training. */
    default void prepare(DistillerSetup setup) {}

    /**
     * Modules this method adds (embedding heads, regressors, ...), by name. The optimizer trains
     * their parameters and checkpoints save them; names are stable across runs.
     */
    default Map<String, Block> trainableModules() {
        return Map.of();
    }

    /**
     * The unweighted loss terms of this step. Runs inside gradient recording: gradients reach the
     * student and the modules of {@link #trainableModules()}. State that must change without
     * gradients (memory banks) is only remembered here and changed in {@link #updateState()}.
     */
    LossTerms loss(DistillationStep step);

    /**
     * Applies the state change that the last {@link #loss} call prepared (for example a memory-bank
     * write). Called after backward, outside gradient recording, at most once per {@code loss} call.
     */
    default void updateState() {}

    /**
     * A stage that runs before distillation (SSKD's teacher head, RepDistiller's init stage of AB,
     * FT and FSP), or null. What it trains must survive a checkpoint: the student and
     * {@link #trainableModules()} do; modules that only the stage trains belong in {@link #state()}.
     */
    default InitStage initStage() {
        return null;
    }

    /** Buffers that are not trained but must survive a checkpoint (memory banks, normalisers). */
    default Map<String, NDArray> state() {
        return Map.of();
    }

    /** Restores the buffers of {@link #state()} from a checkpoint; keys and shapes match. */
    default void loadState(Map<String, NDArray> saved) {
        Map<String, NDArray> mine = state();
        for (Map.Entry<String, NDArray> e : mine.entrySet()) {
            NDArray value = saved.get(e.getKey());
            if (value == null) {
                throw new IllegalArgumentException("checkpoint lacks distiller state '" + e.getKey() + "'");
            }
            ArrayCopy.into(value.toType(e.getValue().getDataType(), false), e.getValue());
        }
    }
}
