package dev.hkd.training.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The ResNet BasicBlock of RepDistiller's CIFAR ResNets and of torchvision (the same module under
 * the same names): conv3×3 (stride) → BN → ReLU → conv3×3 → BN, plus the input or a
 * {@code downsample} 1×1 conv (stride) + BN when the shape changes. Returns
 * {@code [relu(pre), pre]} with {@code pre = main + shortcut}, so that a stage's last block gives
 * both the feature and its pre-activation.
 */
public final class ResNetBasicBlock extends Module {

    private final Conv conv1;
    private final Bn bn1;
    private final Conv conv2;
    private final Bn bn2;
    private final Container downsample;

    public ResNetBasicBlock(long in, long out, int stride) {
        conv1 = child("conv1", Conv.same(in, out, 3, stride, false, Conv.Init.FAN_OUT_NORMAL));
        bn1 = child("bn1", new Bn(out));
        conv2 = child("conv2", Conv.same(out, out, 3, 1, false, Conv.Init.FAN_OUT_NORMAL));
        bn2 = child("bn2", new Bn(out));
        if (stride != 1 || in != out) {
            downsample = child("downsample", new Container());
            downsample.add("0", Conv.same(in, out, 1, stride, false, Conv.Init.FAN_OUT_NORMAL));
            downsample.add("1", new Bn(out));
        } else {
            downsample = null;
        }
    }

    /** The second BatchNorm: it feeds the block's residual sum and so the stage's final ReLU (OFD's margins). */
    public Bn outputBatchNorm() {
        return bn2;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.head();
        NDArray h = Functional.relu(run(bn1, ps, run(conv1, ps, x, training), training));
        NDArray main = run(bn2, ps, run(conv2, ps, h, training), training);
        NDArray shortcut = downsample == null
                ? x
                : run(downsample.get("1"), ps, run(downsample.get("0"), ps, x, training), training);
        NDArray pre = main.add(shortcut);
        return new NDList(Functional.relu(pre), pre);
    }
}
