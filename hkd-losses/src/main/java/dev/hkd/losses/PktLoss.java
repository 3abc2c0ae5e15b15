package dev.hkd.losses;

import ai.djl.ndarray.NDArray;
import dev.hkd.api.Scalars;

/**
 * Probabilistic knowledge transfer as RepDistiller's {@code PKT}: cosine similarities of the
 * batch's rows mapped to [0, 1] and normalised per row into distributions, then
 * {@code mean(t · log((t + ε)/(s + ε)))}.
 */
public final class PktLoss {

    private PktLoss() {}

    public static NDArray compute(NDArray student, NDArray teacher, double eps) {
        float e = (float) eps;
        NDArray s = conditional(unit(student.reshape(student.getShape().get(0), -1), e));
        NDArray t = conditional(
                unit(teacher.stopGradient().reshape(teacher.getShape().get(0), -1), e));
        return t.mul(Scalars.add(t, e).div(Scalars.add(s, e)).log()).mean();
    }

    /** {@code x / (‖x‖ + ε)}; the clamp (value unchanged, ε dominates) keeps zero rows' gradient finite. */
    private static NDArray unit(NDArray x, float eps) {
        return x.div(Scalars.add(Norms.clamped(x, 1, 1e-30f), eps));
    }

    private static NDArray conditional(NDArray rows) {
        NDArray similarity = Scalars.div(Scalars.add(rows.matMul(rows.transpose()), 1), 2);
        return similarity.div(similarity.sum(new int[] {1}, true));
    }
}
