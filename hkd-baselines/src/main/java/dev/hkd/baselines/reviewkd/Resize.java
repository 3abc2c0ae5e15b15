package dev.hkd.baselines.reviewkd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** PyTorch's {@code interpolate(mode='nearest')} on {@code [B, C, H, W]}, as two selection products. */
final class Resize {

    private Resize() {}

    static NDArray nearest(NDArray x, int size) {
        int h = (int) x.getShape().get(2);
        int w = (int) x.getShape().get(3);
        if (h == size && w == size) {
            return x;
        }
        return selection(x.getManager(), h, size)
                .matMul(x)
                .matMul(selection(x.getManager(), w, size).transpose());
    }

    /** Row i picks input {@code floor(i · in / out)}. */
    private static NDArray selection(NDManager manager, int in, int out) {
        float[] m = new float[out * in];
        for (int i = 0; i < out; i++) {
            m[i * in + (int) Math.floor(i * (double) in / out)] = 1f;
        }
        return manager.create(m, new Shape(out, in));
    }
}
