package dev.hkd.baselines.fitnet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.util.PairList;

/**
 * PyTorch's {@code ConvTranspose2d} (square kernel, no output padding), which DJL's PyTorch engine
 * does not implement: zeros are inserted between input pixels (stride), then an ordinary
 * convolution with the kernel flipped and its in/out axes swapped, padded by {@code k − 1 − p}.
 * The weight keeps PyTorch's {@code [in, out, k, k]} layout so checkpoints load unchanged.
 */
public final class TransposedConv2d extends AbstractBlock {

    private final int kernel;
    private final int stride;
    private final int padding;
    private final long out;
    private final Parameter weight;
    private final Parameter bias;

    public TransposedConv2d(long out, int kernel, int stride, int padding) {
        super((byte) 1);
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.out = out;
        // PyTorch computes a transposed conv's fan-in from weight.size(1) · k².
        UniformInitializer init = new UniformInitializer((float) (1.0 / Math.sqrt(out * kernel * kernel)));
        weight = addParameter(Parameter.builder()
                .setName("weight")
                .setType(Parameter.Type.WEIGHT)
                .optInitializer(init)
                .build());
        bias = addParameter(Parameter.builder()
                .setName("bias")
                .setType(Parameter.Type.BIAS)
                .optShape(new Shape(out))
                .optInitializer(init)
                .build());
    }

    @Override
    public void prepare(Shape[] inputShapes) {
        weight.setShape(new Shape(inputShapes[0].get(1), out, kernel, kernel));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.head();
        NDArray w = ps.getValue(weight, x.getDevice(), training);
        NDArray b = ps.getValue(bias, x.getDevice(), training);
        NDArray dilated = insertZeros(x);
        NDArray flipped = w.transpose(1, 0, 2, 3).flip(2, 3);
        int pad = kernel - 1 - padding;
        return Conv2d.conv2d(dilated, flipped, b, new Shape(1, 1), new Shape(pad, pad), new Shape(1, 1), 1);
    }

    /** {@code [B, C, H, W] → [B, C, (H−1)s+1, (W−1)s+1]} with the input at every s-th position. */
    private NDArray insertZeros(NDArray x) {
        if (stride == 1) {
            return x;
        }
        NDArray rows = spread(x.getManager(), (int) x.getShape().get(2));
        NDArray cols = spread(x.getManager(), (int) x.getShape().get(3));
        return rows.matMul(x).matMul(cols.transpose());
    }

    private NDArray spread(NDManager manager, int size) {
        int dilated = (size - 1) * stride + 1;
        float[] m = new float[dilated * size];
        for (int i = 0; i < size; i++) {
            m[(i * stride) * size + i] = 1f;
        }
        return manager.create(m, new Shape(dilated, size));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        // No children.
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        long h = (in.get(2) - 1) * stride - 2L * padding + kernel;
        long w = (in.get(3) - 1) * stride - 2L * padding + kernel;
        return new Shape[] {new Shape(in.get(0), out, h, w)};
    }
}
