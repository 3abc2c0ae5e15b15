package dev.hkd.losses;

import ai.djl.ndarray.NDArray;
import dev.hkd.api.Scalars;

/** Vector norms for the losses that normalise features. */
final class Norms {

    private Norms() {}

    /**
     * {@code sqrt(max(Σ x², minSquared))} along {@code axis}, dimension kept. Equals
     * {@code max(‖x‖, √minSquared)} — PyTorch's {@code normalize} floor — but the clamp sits before
     * the root, so a zero vector (a ReLU'd row, RKD's j = i difference) gets a finite gradient
     * instead of the NaN of sqrt's infinite slope at 0.
     */
    static NDArray clamped(NDArray x, int axis, float minSquared) {
        return Scalars.maximum(x.square().sum(new int[] {axis}, true), minSquared)
                .sqrt();
    }
}
