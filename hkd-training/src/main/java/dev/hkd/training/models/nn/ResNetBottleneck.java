package dev.hkd.training.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The ResNet bottleneck with the stride on the 3×3 conv (torchvision's "v1.5", also RepDistiller's
 * CIFAR ResNet50): 1×1 → BN → ReLU → 3×3 (stride) → BN → ReLU → 1×1 (×4) → BN, plus the input or a
 * 1×1 conv (stride) + BN projection when the shape changes. The projection is named
 * {@code shortcut} in RepDistiller and {@code downsample} in torchvision. Returns
 * {@code [relu(pre), pre]}.
 */
public final class ResNetBottleneck extends Module {

    /** Output channels per {@code planes}. */
    public static final int EXPANSION = 4;

    private final ConvBn reduce;
    private final ConvBn spatial;
    private final ConvBn expand;
    private final ConvBn projection;

    /** @param projectionName the reference's name of the projection shortcut ({@code shortcut} or {@code downsample}) */
    public ResNetBottleneck(long in, long planes, int stride, String projectionName) {
        long out = planes * EXPANSION;
        reduce = convBn(1, Conv.same(in, planes, 1, 1, false, Conv.Init.FAN_OUT_NORMAL));
        spatial = convBn(2, Conv.same(planes, planes, 3, stride, false, Conv.Init.FAN_OUT_NORMAL));
        expand = convBn(3, Conv.same(planes, out, 1, 1, false, Conv.Init.FAN_OUT_NORMAL));
        projection = stride != 1 || in != out
                ? ResNetBasicBlock.projection(child(projectionName, new Container()), in, out, stride)
                : null;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.head();
        NDArray h = spatial.applyRelu(ps, reduce.applyRelu(ps, x, training), training);
        h = expand.apply(ps, h, training);
        NDArray s = projection == null ? x : projection.apply(ps, x, training);
        NDArray pre = h.add(s);
        return new NDList(Functional.relu(pre), pre);
    }
}
