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

    private final ConvBn first;
    private final ConvBn second;
    private final ConvBn downsample;

    public ResNetBasicBlock(long in, long out, int stride) {
        first = convBn(1, Conv.same(in, out, 3, stride, false, Conv.Init.FAN_OUT_NORMAL));
        second = convBn(2, Conv.same(out, out, 3, 1, false, Conv.Init.FAN_OUT_NORMAL));
        downsample =
                stride != 1 || in != out ? projection(child("downsample", new Container()), in, out, stride) : null;
    }

    /** The ResNets' projection shortcut: a 1×1 conv (stride) and its BatchNorm, as {@code shortcut}'s {@code 0} and {@code 1}. */
    static ConvBn projection(Container shortcut, long in, long out, int stride) {
        return shortcut.addConvBn("0", Conv.same(in, out, 1, stride, false, Conv.Init.FAN_OUT_NORMAL), "1");
    }

    /** The second BatchNorm: it feeds the block's residual sum and so the stage's final ReLU (OFD's margins). */
    public Bn outputBatchNorm() {
        return second.bn();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.head();
        NDArray main = second.apply(ps, first.applyRelu(ps, x, training), training);
        NDArray shortcut = downsample == null ? x : downsample.apply(ps, x, training);
        NDArray pre = main.add(shortcut);
        return new NDList(Functional.relu(pre), pre);
    }
}
