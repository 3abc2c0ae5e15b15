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

    private final Conv conv1;
    private final Bn bn1;
    private final Conv conv2;
    private final Bn bn2;
    private final Conv conv3;
    private final Bn bn3;
    private final Container projection;

    /** @param projectionName the reference's name of the projection shortcut ({@code shortcut} or {@code downsample}) */
    public ResNetBottleneck(long in, long planes, int stride, String projectionName) {
        long out = planes * EXPANSION;
        conv1 = child("conv1", Conv.same(in, planes, 1, 1, false, Conv.Init.FAN_OUT_NORMAL));
        bn1 = child("bn1", new Bn(planes));
        conv2 = child("conv2", Conv.same(planes, planes, 3, stride, false, Conv.Init.FAN_OUT_NORMAL));
        bn2 = child("bn2", new Bn(planes));
        conv3 = child("conv3", Conv.same(planes, out, 1, 1, false, Conv.Init.FAN_OUT_NORMAL));
        bn3 = child("bn3", new Bn(out));
        if (stride != 1 || in != out) {
            projection = child(projectionName, new Container());
            projection.add("0", Conv.same(in, out, 1, stride, false, Conv.Init.FAN_OUT_NORMAL));
            projection.add("1", new Bn(out));
        } else {
            projection = null;
        }
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.head();
        NDArray h = Functional.relu(run(bn1, ps, run(conv1, ps, x, training), training));
        h = Functional.relu(run(bn2, ps, run(conv2, ps, h, training), training));
        h = run(bn3, ps, run(conv3, ps, h, training), training);
        NDArray s = projection == null
                ? x
                : run(projection.get("1"), ps, run(projection.get("0"), ps, x, training), training);
        NDArray pre = h.add(s);
        return new NDList(Functional.relu(pre), pre);
    }
}
