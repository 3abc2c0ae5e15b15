package dev.hkd.baselines.ctkd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import dev.hkd.api.DistillationStep;
import dev.hkd.api.Distiller;
import dev.hkd.api.DistillerSetup;
import dev.hkd.api.LossTerms;
import dev.hkd.api.ModelNeeds;
import dev.hkd.api.Scalars;
import dev.hkd.losses.GradientReversal;
import dev.hkd.losses.KdLoss;
import java.util.Map;

/**
 * CTKD's step: λ from the epoch, {@code τ = t_start + t_end · sigmoid(GRL_λ(θ))}, KD at τ. θ is a
 * module of its own ({@link GlobalTemperature}), so the framework trains it in the student's SGD
 * and checkpoints it.
 */
public final class CtkdDistiller implements Distiller {

    /** The module's name in checkpoints ({@code module/ctkd.global_temperature/…}). */
    public static final String MODULE = "global_temperature";

    private final CtkdProvider.Config config;
    private GlobalTemperature temperature;

    CtkdDistiller(CtkdProvider.Config config) {
        this.config = config;
    }

    @Override
    public ModelNeeds modelNeeds() {
        return ModelNeeds.LOGITS;
    }

    @Override
    public void prepare(DistillerSetup setup) {
        temperature = new GlobalTemperature(config.initialTheta()).initialized(setup.manager(), setup.dataType());
    }

    @Override
    public Map<String, Block> trainableModules() {
        return Map.of(MODULE, temperature);
    }

    @Override
    public LossTerms loss(DistillationStep step) {
        NDArray student = step.student().logits();
        NDArray theta = temperature
                .forward(step.parameters(), new NDList(student), step.training())
                .singletonOrThrow();
        NDArray reversed = GradientReversal.apply(
                theta.reshape(new Shape()), reversalWeight(step.batch().epoch()));
        NDArray tau =
                Scalars.mul(Activation.sigmoid(reversed), config.tEnd()).add(Scalars.of(reversed, config.tStart()));
        NDArray kd = KdLoss.compute(student, step.teacher().logits(), tau);
        // τ at weight 0: logged per step and per epoch, adding nothing to the loss or its gradient.
        return LossTerms.builder()
                .add("kd", kd, 1.0)
                .add("temperature", tau.stopGradient(), 0.0)
                .build();
    }

    /**
     * λ of the 0-based {@code epoch}, as the reference's {@code CosineDecay} gives it for the epoch
     * counted from 1: {@code (cos(min(e, loops)·π/loops) + 1)/2 · (max − min) + min}.
     */
    public double reversalWeight(int epoch) {
        int e = Math.min(epoch + 1, config.decayLoops());
        return (Math.cos(e * Math.PI / config.decayLoops()) + 1) / 2 * (config.decayMax() - config.decayMin())
                + config.decayMin();
    }

    /** The module holding θ, for loading a reference's {@code global_T}. */
    public GlobalTemperature globalTemperature() {
        return temperature;
    }
}
