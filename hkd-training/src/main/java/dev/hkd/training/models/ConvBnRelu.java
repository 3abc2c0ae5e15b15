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

/** Conv → BN → ReLU; returns {@code [relu(bn(conv(x))), bn(conv(x))]}. */
public final class ConvBnRelu extends AbstractBlock implements StagedNetwork.EndsInBatchNorm {

    private final Conv2d conv;
    private final BatchNorm bn;

    public ConvBnRelu(long out, int kernel, int stride) {
        super((byte) 1);
        conv = addChildBlock("conv", Layers.conv(out, kernel, stride, false));
        bn = addChildBlock("bn", Layers.batchNorm());
    }

    /** The BatchNorm whose output the ReLU takes. */
    @Override
    public BatchNorm outputBatchNorm() {
        return bn;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray pre = Layers.convBn(conv, bn, ps, inputs, training);
        return new NDList(Activation.relu(pre), pre);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Layers.initializeChain(manager, dataType, inputShapes[0], conv, bn);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = conv.getOutputShapes(inputShapes)[0];
        return new Shape[] {s, s};
    }
}
