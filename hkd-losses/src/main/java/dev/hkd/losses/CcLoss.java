package dev.hkd.losses;

import ai.djl.ndarray.NDArray;

/**
 * Correlation congruence as RepDistiller's {@code Correlation}: with {@code δ = |e_s − e_t|} over
 * the batch's embeddings, {@code mean_i Σ_k δ[i,k]·δ[i+1,k]} (consecutive samples).
 */
public final class CcLoss {

    private CcLoss() {}

    public static NDArray compute(NDArray studentEmbedding, NDArray teacherEmbedding) {
        NDArray delta = studentEmbedding.sub(teacherEmbedding).abs();
        long b = delta.getShape().get(0);
        return delta.get("0:" + (b - 1)).mul(delta.get("1:")).sum(new int[] {1}).mean();
    }
}
