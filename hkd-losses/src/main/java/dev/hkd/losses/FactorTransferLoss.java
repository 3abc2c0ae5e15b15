package dev.hkd.losses;

import ai.djl.ndarray.NDArray;

/**
 * Factor transfer's loss as RepDistiller's {@code FactorTransfer} (p1 = 2, p2 = 1): the larger
 * factor pooled to the smaller's height, each factor turned into {@code l2n(mean_c(f²))} — an
 * attention map, RepDistiller's variant, not the paper's normalised flattened factor — and the
 * mean absolute difference.
 */
public final class FactorTransferLoss {

    private FactorTransferLoss() {}

    /** {@code studentFactor}: the translator's output; {@code teacherFactor}: the paraphraser's encoding (a constant). */
    public static NDArray compute(NDArray studentFactor, NDArray teacherFactor) {
        NDArray[] pair = AdaptiveAveragePool.matchSizes(studentFactor, teacherFactor.stopGradient());
        return AtLoss.attention(pair[0], 2)
                .sub(AtLoss.attention(pair[1], 2))
                .abs()
                .mean();
    }
}
