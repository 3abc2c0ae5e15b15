package dev.hkd.training.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.hkd.api.NetworkOutput;
import dev.hkd.training.models.nn.Bn;
import dev.hkd.training.models.nn.Functional;
import dev.hkd.training.models.nn.Module;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A classifier that honours the feature-tap contract: one forward pass gives the logits, the
 * ordered features (stem, stage outputs, pooled penultimate vector) and, on request, the
 * pre-activation versions of the stage outputs.
 */
public abstract class FeatureNetwork extends Module {

    private boolean frozen;

    protected FeatureNetwork() {}

    /**
     * Makes this a frozen teacher: no parameter takes gradients, and networks that can free each
     * block's intermediates as soon as the block is done (DJL would otherwise keep them until the
     * caller's scope closes) do so.
     */
    public void freeze() {
        freezeParameters(true);
        frozen = true;
    }

    /** The model's name in the zoo. */
    public abstract String modelName();

    public abstract NetworkOutput forward(
            ParameterStore parameters, NDArray images, boolean training, boolean preActivation);

    /** DJL's generic entry point returns just the logits. */
    @Override
    protected NDList forwardInternal(
            ParameterStore parameters, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(forward(parameters, inputs.head(), training, false).logits());
    }

    /**
     * The shared tail of the staged networks: runs each stage's blocks (each returning
     * {@code [out, pre]} or just {@code [out]}), records every stage's output and the last block's
     * pre-activation, applies {@code head} (e.g. a final conv) before global pooling, and classifies.
     * Features are {@code [stem, stage outputs…, pooled]}.
     */
    protected NetworkOutput runStages(
            ParameterStore ps,
            NDArray stem,
            List<? extends List<? extends Block>> stages,
            UnaryOperator<NDArray> head,
            Block classifier,
            boolean training,
            boolean preActivation) {
        return runStages(ps, stem, stem, stages, head, classifier, training, preActivation);
    }

    /**
     * As {@link #runStages(ParameterStore, NDArray, List, UnaryOperator, Block, boolean, boolean)}, for
     * networks whose first stage does not start from the tapped stem ({@code stageInput}, e.g. the
     * stem after torchvision's max-pool); feature 0 (and pre-activation feature 0) is {@code stem}.
     */
    protected NetworkOutput runStages(
            ParameterStore ps,
            NDArray stem,
            NDArray stageInput,
            List<? extends List<? extends Block>> stages,
            UnaryOperator<NDArray> head,
            Block classifier,
            boolean training,
            boolean preActivation) {
        NDArray x = stageInput;
        List<NDArray> features = new ArrayList<>(List.of(stem));
        List<NDArray> pre = new ArrayList<>(List.of(stem));
        for (List<? extends Block> stage : stages) {
            NDArray stagePre = null;
            for (Block block : stage) {
                NDList out = runBlock(block, ps, x, training);
                x = out.get(0);
                stagePre = out.size() > 1 ? out.get(1) : x;
            }
            features.add(x);
            pre.add(stagePre);
        }
        NDArray pooled = Functional.globalAveragePool(head.apply(x));
        features.add(pooled);
        pre.add(pooled);
        return new NetworkOutput(run(classifier, ps, pooled, training), features, preActivation ? pre : List.of());
    }

    /**
     * Runs one block of the network's main path; in a frozen network its intermediates are freed
     * as soon as it returns (only its outputs survive), since nothing will backpropagate through them.
     */
    protected final NDList runBlock(Block block, ParameterStore ps, NDArray x, boolean training) {
        return frozen ? forwardFreeing(block, ps, x, training) : block.forward(ps, new NDList(x), training);
    }

    /** A block's forward pass whose intermediates are freed at once; only its outputs survive. */
    private static NDList forwardFreeing(Block block, ParameterStore ps, NDArray x, boolean training) {
        try (NDScope scope = new NDScope()) {
            NDList out = block.forward(ps, new NDList(x), training);
            NDScope.unregister(out);
            scope.suppressNotUsedWarning();
            return out;
        }
    }

    /**
     * The linear classifier that maps the pooled vector to the logits: every model of the zoo adds
     * it as its last child (ModelZooTest holds it). RepDistiller's init stage trains everything
     * else ({@code get_feat_modules()}).
     */
    public Block classifier() {
        return getChildren().valueAt(getChildren().size() - 1);
    }

    /**
     * For each stage output ({@code features[1:-1]}), the BatchNorm whose output reaches that stage's
     * final ReLU, as mdistiller's {@code get_bn_before_relu} picks it (OFD's margins); empty for a
     * model that does not say (the CIFAR ResNets and WRNs and the Fashion-MNIST models say).
     */
    public List<NormAffine> batchNormsBeforeActivation() {
        return List.of();
    }

    /**
     * A BatchNorm's live scale γ and shift β, whether our own {@link Bn} or DJL's {@link BatchNorm}
     * holds them.
     */
    public record NormAffine(Parameter gamma, Parameter beta) {

        public static NormAffine of(Bn bn) {
            return new NormAffine(bn.gamma(), bn.beta());
        }

        public static NormAffine of(BatchNorm bn) {
            return new NormAffine(
                    bn.getParameters().get("gamma"), bn.getParameters().get("beta"));
        }
    }

    /** Number of trainable parameters (BatchNorm running statistics excluded). */
    public long trainableParameterCount() {
        return getParameters().values().stream()
                .filter(p -> p.requiresGradient())
                .mapToLong(p -> p.getArray().size())
                .sum();
    }
}
