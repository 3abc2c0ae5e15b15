package dev.hkd.losses.contrast;

import ai.djl.ndarray.NDArray;
import dev.hkd.api.Scalars;

/**
 * CRD's NCE loss with a constant normaliser (docs/methods.md#crd), for one matrix of normalised
 * scores {@code P = exp(s/τ)/Z}, column 0 the positive and columns 1..K the noise samples:
 * {@code −(1/B) Σ_i [log(P₀/(P₀ + K/N + ε)) + Σ_j log((K/N)/(P_j + K/N + ε))]}, ε = 1e-7.
 */
public final class NceLoss {

    private static final float EPS = 1e-7f;

    private NceLoss() {}

    /**
     * @param p {@code [B, K+1]} normalised scores
     * @param datasetSize N (the noise distribution is uniform over the bank)
     */
    public static NDArray of(NDArray p, long datasetSize) {
        long batch = p.getShape().get(0);
        long k = p.getShape().get(1) - 1;
        float noise = (float) k / datasetSize;
        NDArray positive = p.get(":, 0");
        NDArray negatives = p.get(":, 1:");
        NDArray logPositive = positive.div(Scalars.add(positive, noise + EPS)).log();
        NDArray logNegatives = Scalars.mul(Scalars.pow(Scalars.add(negatives, noise + EPS), -1f), noise)
                .log();
        return Scalars.div(logPositive.sum().add(logNegatives.sum()).neg(), batch);
    }
}
