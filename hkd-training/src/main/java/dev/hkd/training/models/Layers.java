package dev.hkd.training.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.initializer.UniformInitializer;

/** Layer factories carrying the reference initialisation (docs/methods.md#models). */
public final class Layers {

    private Layers() {}

    /** Square conv, padding (k−1)/2, Kaiming-normal fan-out init {@code N(0, 2/(k²·out))}, bias 0. */
    public static Conv2d conv(long out, int kernel, int stride, boolean bias) {
        return conv(out, kernel, stride, bias, 1);
    }

    public static Conv2d conv(long out, int kernel, int stride, boolean bias, int groups) {
        Conv2d conv = Conv2d.builder()
                .setFilters(Math.toIntExact(out))
                .setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape((kernel - 1) / 2, (kernel - 1) / 2))
                .optGroups(groups)
                .optBias(bias)
                .build();
        conv.setInitializer(
                new NormalInitializer((float) Math.sqrt(2.0 / (kernel * kernel * out))), Parameter.Type.WEIGHT);
        if (bias) {
            conv.setInitializer(new ConstantInitializer(0f), Parameter.Type.BIAS);
        }
        return conv;
    }

    /** BatchNorm2d with PyTorch's eps 1e-5 and momentum 0.1 (DJL counts momentum the other way). */
    public static BatchNorm batchNorm() {
        return BatchNorm.builder().optEpsilon(1e-5f).optMomentum(0.9f).build();
    }

    /** PyTorch's default Linear: weight and bias {@code U(±1/√fan_in)}. */
    public static Linear linear(long in, long out) {
        Linear linear = Linear.builder().setUnits(out).optBias(true).build();
        float bound = (float) (1.0 / Math.sqrt(in));
        linear.setInitializer(new UniformInitializer(bound), Parameter.Type.WEIGHT);
        linear.setInitializer(new UniformInitializer(bound), Parameter.Type.BIAS);
        return linear;
    }

    /** {@code bn(conv(x))}: the BatchNorm's output. */
    public static NDArray convBn(Conv2d conv, BatchNorm bn, ParameterStore ps, NDList x, boolean training) {
        return bn.forward(ps, conv.forward(ps, x, training), training).head();
    }

    /** Initialises blocks in sequence, each from the previous one's output shape; returns the last shape. */
    public static Shape initializeChain(NDManager manager, DataType dataType, Shape input, Block... blocks) {
        Shape shape = input;
        for (Block block : blocks) {
            block.initialize(manager, dataType, shape);
            shape = block.getOutputShapes(new Shape[] {shape})[0];
        }
        return shape;
    }
}
