package dev.hkd.losses;

import ai.djl.ndarray.NDArray;

/**
 * Probabilistic knowledge transfer as RepDistiller's {@code PKT}: cosine similarities of the
 * batch's rows mapped to [0, 1] and normalised per row into distributions, then
 * {@code mean(t · log((t + ε)/(s + ε)))}.
 */
public final class PktLoss {

    private PktLoss() {
    }

    public static NDArray compute(NDArray student, NDArray teacher, double eps) {
        float e = (float) eps;
        NDArray s = conditional(unit(student.reshape(student.getShape().get(0), -1), e));
        NDArray t = conditional(unit(teacher.stopGradient().reshape(teacher.getShape().get(0), -1), e));
        return t.mul(t.add(e).div(s.add(e)).log()).mean();
    }

    /**
     * {@code x / (‖x‖ + ε)}. The squared norm is clamped at 1e-30 before the root: the value is
     * unchanged (ε dominates), but an all-zero row — a ReLU'd pooled vector can be one — gets a
     * finite gradient instead of the NaN that sqrt's infinite slope at 0 gives (the reference's too).
     */
    private static NDArray unit(NDArray x, float eps) {
        return x.div(x.square().sum(new int[] {1}, true).maximum(1e-30f).sqrt().add(eps));
    }

    private static NDArray conditional(NDArray rows) {
        NDArray similarity = rows.matMul(rows.transpose()).add(1f).div(2f);
        return similarity.div(similarity.sum(new int[] {1}, true));
    }
}
