package dev.hkd.training.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.pooling.Pool;

/** Parameter-free operations of the reference models. */
public final class Functional {

    private Functional() {}

    public static NDArray relu(NDArray x) {
        return Activation.relu(x);
    }

    /**
     * Global average pooling to {@code [B, C]}, whatever the map's size: PyTorch's
     * {@code AdaptiveAvgPool2d(1)}. The reference CIFAR models pool by a fixed size that ends at 1×1
     * on 32×32 inputs, where the two agree; on larger inputs (Tiny-ImageNet's 64×64) this keeps the
     * pooled vector's width, where the fixed pool would leave a larger map and a wrong-sized classifier input.
     */
    public static NDArray globalAveragePool(NDArray x) {
        return x.reshape(x.getShape().get(0), x.getShape().get(1), -1).mean(new int[] {2});
    }

    /** torchvision's stem pool: {@code MaxPool2d(3, stride 2, padding 1)} (padding never wins a max). */
    public static NDArray maxPool3Stride2(NDArray x) {
        return Pool.maxPool2d(x, new Shape(3, 3), new Shape(2, 2), new Shape(1, 1), false);
    }

    public static NDArray maxPool2(NDArray x) {
        return Pool.maxPool2d(x, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false);
    }

    /** {@code AvgPool2d(3, stride 2, padding 1)} counting the padding, as PyTorch's default. */
    public static NDArray avgPool3Stride2(NDArray x) {
        return Pool.avgPool2d(x, new Shape(3, 3), new Shape(2, 2), new Shape(1, 1), false, true);
    }

    /** ShuffleNet's channel shuffle: {@code [B, g, C/g, H, W]}, swap axes 1 and 2, flatten back. */
    public static NDArray channelShuffle(NDArray x, int groups) {
        if (groups == 1) {
            return x;
        }
        Shape s = x.getShape();
        return x.reshape(s.get(0), groups, s.get(1) / groups, s.get(2), s.get(3))
                .transpose(0, 2, 1, 3, 4)
                .reshape(s);
    }
}
