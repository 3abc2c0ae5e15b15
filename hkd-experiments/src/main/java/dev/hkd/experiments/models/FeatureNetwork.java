package dev.hkd.experiments.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.hkd.api.NetworkOutput;
import dev.hkd.experiments.models.nn.Module;

/**
 * A classifier that honours the feature-tap contract: one forward pass gives the logits, the
 * ordered features (stem, stage outputs, pooled penultimate vector) and, on request, the
 * pre-activation versions of the stage outputs.
 */
public abstract class FeatureNetwork extends Module {

    protected FeatureNetwork() {
    }

    /** The model's name in the zoo. */
    public abstract String modelName();

    public abstract NetworkOutput forward(ParameterStore parameters, NDArray images, boolean training,
                                          boolean preActivation);

    /** DJL's generic entry point returns just the logits. */
    @Override
    protected NDList forwardInternal(ParameterStore parameters, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        return new NDList(forward(parameters, inputs.head(), training, false).logits());
    }

    /** Number of trainable parameters (BatchNorm running statistics excluded). */
    public long trainableParameterCount() {
        return getParameters().values().stream()
                .filter(p -> p.requiresGradient())
                .mapToLong(p -> p.getArray().size())
                .sum();
    }
}
