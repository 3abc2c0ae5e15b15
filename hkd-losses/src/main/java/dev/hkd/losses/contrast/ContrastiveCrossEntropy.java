package dev.hkd.losses.contrast;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import dev.hkd.api.Scalars;

/**
 * {@code CE(u, 0)} averaged over the batch for rows {@code u = (positive, negatives…) / τ}:
 * {@code logsumexp(u) − u₀}, with the max subtracted for stability.
 */
public final class ContrastiveCrossEntropy {

    private ContrastiveCrossEntropy() {}

    /**
     * @param positive {@code [B]} scores of each anchor with its positive
     * @param negatives {@code [B, K]} scores with its negatives
     * @param temperature τ
     */
    public static NDArray of(NDArray positive, NDArray negatives, float temperature) {
        NDArray pos = Scalars.div(positive, temperature);
        NDArray neg = Scalars.div(negatives, temperature);
        NDArray all = NDArrays.concat(new ai.djl.ndarray.NDList(pos.expandDims(1), neg), 1);
        NDArray max = all.max(new int[] {1}, true).stopGradient();
        NDArray logSumExp = all.sub(max).exp().sum(new int[] {1}).log().add(max.squeeze(1));
        return logSumExp.sub(pos).mean();
    }
}
