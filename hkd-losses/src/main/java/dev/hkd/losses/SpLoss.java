package dev.hkd.losses;

import ai.djl.ndarray.NDArray;
import dev.hkd.api.Scalars;

/**
 * Similarity-preserving KD as RepDistiller's {@code Similarity}: row-normalised Gram matrices of the
 * flattened features, squared difference summed and divided by B².
 */
public final class SpLoss {

    private SpLoss() {}

    public static NDArray compute(NDArray student, NDArray teacher) {
        long b = student.getShape().get(0);
        NDArray gs = gram(student.reshape(b, -1));
        NDArray gt = gram(teacher.stopGradient().reshape(b, -1));
        return Scalars.div(gt.sub(gs).square().sum(), b * b);
    }

    private static NDArray gram(NDArray f) {
        NDArray g = f.matMul(f.transpose());
        return g.div(Norms.clamped(g, 1, 1e-24f));
    }
}
