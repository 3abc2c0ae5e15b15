package dev.hkd.training.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.util.PairList;

/** A square 2-D convolution with PyTorch's weight layout {@code [out, in/groups, k, k]}. */
public final class Conv extends Leaf {

    /** The initialisations of the reference zoo (docs/methods.md#models). */
    public enum Init {
        /** {@code N(0, 2/(k²·out))} (Kaiming-normal, fan-out); bias 0. */
        FAN_OUT_NORMAL,
        /** PyTorch's default: weight and bias {@code U(±1/√fan_in)}. */
        PYTORCH_DEFAULT
    }

    private final Parameter weight;
    private final Parameter bias;
    private final int stride;
    private final int padding;
    private final int groups;

    public Conv(long in, long out, int kernel, int stride, int padding, int groups, boolean withBias, Init init) {
        this.stride = stride;
        this.padding = padding;
        this.groups = groups;
        long fanIn = in / groups * kernel * kernel;
        UniformInitializer uniform = new UniformInitializer((float) (1.0 / Math.sqrt(fanIn)));
        boolean fanOut = init == Init.FAN_OUT_NORMAL;
        Initializer w = fanOut ? new NormalInitializer((float) Math.sqrt(2.0 / (kernel * kernel * out))) : uniform;
        Initializer b = fanOut ? new ConstantInitializer(0f) : uniform;
        weight = trained("weight", Parameter.Type.WEIGHT, new Shape(out, in / groups, kernel, kernel), w);
        bias = withBias ? trained("bias", Parameter.Type.BIAS, new Shape(out), b) : null;
    }

    /** Padding (k−1)/2, no groups. */
    public static Conv same(long in, long out, int kernel, int stride, boolean withBias, Init init) {
        return new Conv(in, out, kernel, stride, (kernel - 1) / 2, 1, withBias, init);
    }

    /** A 3×3 depthwise convolution (one group per channel), padding 1, no bias. */
    public static Conv depthwise(long channels, int stride, Init init) {
        return new Conv(channels, channels, 3, stride, 1, Math.toIntExact(channels), false, init);
    }

    /** Output channels: the weight's first dimension. */
    public long outChannels() {
        return weight.getShape().get(0);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.head();
        NDArray b = bias == null ? null : value(ps, bias, x, training);
        return Conv2d.conv2d(
                x,
                value(ps, weight, x, training),
                b,
                new Shape(stride, stride),
                new Shape(padding, padding),
                new Shape(1, 1),
                groups);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        throw new UnsupportedOperationException("fixed-shape layer");
    }
}
