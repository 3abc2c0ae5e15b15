package dev.hkd.losses;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * PyTorch's {@code adaptive_avg_pool2d} of {@code [B, C, H, W]} to {@code size × size}: output
 * cell i averages input rows {@code floor(i·H/size)} to {@code ceil((i+1)·H/size)} (overlapping
 * when H is not a multiple), computed exactly as two small matrix products.
 */
public final class AdaptiveAveragePool {

    private AdaptiveAveragePool() {}

    public static NDArray of(NDArray x, int size) {
        int h = (int) x.getShape().get(2);
        int w = (int) x.getShape().get(3);
        if (h == size && w == size) {
            return x;
        }
        return matrix(x.getManager(), h, size)
                .matMul(x)
                .matMul(matrix(x.getManager(), w, size).transpose());
    }

    private static NDArray matrix(NDManager manager, int in, int out) {
        float[] m = new float[out * in];
        for (int i = 0; i < out; i++) {
            int start = Math.floorDiv(i * in, out);
            int end = -Math.floorDiv(-(i + 1) * in, out);
            for (int j = start; j < end; j++) {
                m[i * in + j] = 1f / (end - start);
            }
        }
        return manager.create(m, new Shape(out, in));
    }

    /** Pools the larger of two maps to the smaller's height, as AT and VID do; returns both. */
    public static NDArray[] matchSizes(NDArray student, NDArray teacher) {
        long hs = student.getShape().get(2);
        long ht = teacher.getShape().get(2);
        if (hs > ht) {
            return new NDArray[] {of(student, (int) ht), teacher};
        }
        if (hs < ht) {
            return new NDArray[] {student, of(teacher, (int) hs)};
        }
        return new NDArray[] {student, teacher};
    }
}
