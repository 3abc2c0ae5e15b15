package dev.hkd.training.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The CIFAR ResNet BasicBlock (docs/methods.md#models): conv3×3(stride) → BN → ReLU → conv3×3 → BN,
 * plus an identity or 1×1 conv + BN shortcut; returns {@code [relu(pre), pre]} with
 * {@code pre = main + shortcut}.
 */
public final class ResidualBlock extends AbstractBlock implements StagedNetwork.EndsInBatchNorm {

    private final Conv2d conv1;
    private final BatchNorm bn1;
    private final Conv2d conv2;
    private final BatchNorm bn2;
    private final Conv2d shortcutConv;
    private final BatchNorm shortcutBn;

    public ResidualBlock(long in, long out, int stride) {
        super((byte) 1);
        conv1 = addChildBlock("conv1", Layers.conv(out, 3, stride, false));
        bn1 = addChildBlock("bn1", Layers.batchNorm());
        conv2 = addChildBlock("conv2", Layers.conv(out, 3, 1, false));
        bn2 = addChildBlock("bn2", Layers.batchNorm());
        if (stride != 1 || in != out) {
            shortcutConv = addChildBlock("shortcut_conv", Layers.conv(out, 1, stride, false));
            shortcutBn = addChildBlock("shortcut_bn", Layers.batchNorm());
        } else {
            shortcutConv = null;
            shortcutBn = null;
        }
    }

    /**
     * The main branch's second BatchNorm: it reaches the final ReLU through the shortcut's sum, as
     * mdistiller's {@code get_bn_before_relu} picks {@code bn2} of a CIFAR ResNet's last block.
     */
    @Override
    public BatchNorm outputBatchNorm() {
        return bn2;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray h = Activation.relu(Layers.convBn(conv1, bn1, ps, inputs, training));
        NDArray main = Layers.convBn(conv2, bn2, ps, new NDList(h), training);
        NDArray shortcut =
                shortcutConv == null ? inputs.head() : Layers.convBn(shortcutConv, shortcutBn, ps, inputs, training);
        NDArray pre = main.add(shortcut);
        return new NDList(Activation.relu(pre), pre);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Layers.initializeChain(manager, dataType, inputShapes[0], conv1, bn1, conv2, bn2);
        if (shortcutConv != null) {
            Layers.initializeChain(manager, dataType, inputShapes[0], shortcutConv, shortcutBn);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = conv1.getOutputShapes(inputShapes)[0];
        return new Shape[] {s, s};
    }
}
