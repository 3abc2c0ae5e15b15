package dev.hkd.api;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * One network's forward pass under the feature-tap contract shared by every model of the project.
 *
 * <p>{@code features} are ordered shallow to deep: the stem output, each stage's output, and last
 * the globally pooled penultimate vector {@code [B, D]}. {@code preActivationFeatures}, when the
 * distiller asked for them, has the same length and order with the pre-ReLU maps in place of the
 * stage outputs (the stem and the pooled vector are unchanged); otherwise it is empty.
 *
 * <pre>{@code
 * NDArray pooled = output.penultimate();          // [B, D], used by CRD, RKD, HKD
 * NDArray lastStage = output.features().get(output.features().size() - 2);
 * }</pre>
 */
public record NetworkOutput(NDArray logits, List<NDArray> features, List<NDArray> preActivationFeatures) {

    public NetworkOutput {
        features = List.copyOf(features);
        preActivationFeatures = List.copyOf(preActivationFeatures);
    }

    /** The globally pooled penultimate vector, {@code [B, D]}. */
    public NDArray penultimate() {
        return features.get(features.size() - 1);
    }
}
