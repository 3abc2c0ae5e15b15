package dev.hkd.losses;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The leading right singular vectors of a batch of matrices {@code X} ({@code [B, M, C]}), with
 * gradients, for DJL's PyTorch engine, which has no SVD: they are the leading eigenvectors of
 * {@code A = XᵀX}, found by simultaneous (subspace) iteration with Gram–Schmidt.
 *
 * <p>First {@link #CONVERGE} iterations outside the gradient from a fixed start give the vectors;
 * then {@link #DIFFERENTIATE} iterations on the differentiable {@code A}, from those vectors, leave
 * their values in place (they are a fixed point) and make their gradient that of the exact
 * eigenvectors up to a factor {@code (λ_{j+1}/λ_j)^DIFFERENTIATE}: each iteration adds one term of
 * the series {@code Σ_k (λ_k/λ_j)^n · v_kᵀ dA v_j / λ_j = v_kᵀ dA v_j / (λ_j − λ_k)}. Like
 * {@code torch.svd}'s own gradient, it is ill-conditioned when singular values are close.
 */
public final class LeadingSingularVectors {

    /** Iterations that find the vectors; the error falls as {@code (λ_{n+1}/λ_n)^CONVERGE}. */
    static final int CONVERGE = 150;
    /** Iterations that carry the gradient. */
    static final int DIFFERENTIATE = 40;

    private LeadingSingularVectors() {}

    /**
     * The first {@code n} right singular vectors of each {@code X}, {@code [B, C, n]}, unit columns
     * in descending order of singular value; their signs are arbitrary (fixed by the start).
     */
    public static NDArray of(NDArray x, int n) {
        NDArray a = x.transpose(0, 2, 1).matMul(x);
        NDArray v = start(a, n);
        NDArray constant = a.stopGradient();
        for (int i = 0; i < CONVERGE; i++) {
            v = orthonormalize(constant.matMul(v)).stopGradient();
        }
        for (int i = 0; i < DIFFERENTIATE; i++) {
            v = orthonormalize(a.matMul(v));
        }
        return v;
    }

    /** The first {@code n} right singular vectors without gradient: the converged iterations alone. */
    public static NDArray constant(NDArray x, int n) {
        NDArray a = x.stopGradient().transpose(0, 2, 1).matMul(x.stopGradient());
        NDArray v = start(a, n);
        for (int i = 0; i < CONVERGE + DIFFERENTIATE; i++) {
            v = orthonormalize(a.matMul(v)).stopGradient();
        }
        return v;
    }

    /** A fixed pseudo-random start, the same for every sample, so the result is deterministic. */
    private static NDArray start(NDArray a, int n) {
        int c = (int) a.getShape().get(1);
        SplittableRandom random = new SplittableRandom(0x5EEDL);
        float[] values = new float[c * n];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextDouble() - 0.5);
        }
        NDArray v = a.getManager().create(values, new Shape(1, c, n)).toType(a.getDataType(), false);
        return v.broadcast(new Shape(a.getShape().get(0), c, n));
    }

    /** Modified Gram–Schmidt on the columns of {@code [B, C, n]}, each divided by {@code max(‖v‖, 1e-12)}. */
    private static NDArray orthonormalize(NDArray w) {
        int n = (int) w.getShape().get(2);
        List<NDArray> done = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            NDArray v = w.get(":, :, " + j + ":" + (j + 1));
            for (NDArray q : done) {
                v = v.sub(q.mul(q.mul(v).sum(new int[] {1}, true)));
            }
            done.add(v.div(Norms.clamped(v, 1, 1e-24f)));
        }
        return done.size() == 1 ? done.get(0) : NDArrays.concat(new NDList(done), 2);
    }
}
