package dev.hkd.baselines.sskd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import dev.hkd.baselines.PyTorchInit;

/**
 * SSKD's self-supervision head on the pooled feature: {@code W2·relu(W1·h + b1) + b2}, both layers
 * {@code d × d} (not a bottleneck), PyTorch's default Linear initialisation (docs/methods.md#sskd).
 */
final class ProjectionHead {

    private final SequentialBlock block;

    ProjectionHead(NDManager manager, long width, DataType dataType) {
        block = new SequentialBlock()
                .add(PyTorchInit.defaults(Linear.builder().setUnits(width).build(), width))
                .add(Activation::relu)
                .add(PyTorchInit.defaults(Linear.builder().setUnits(width).build(), width));
        block.initialize(manager, dataType, new Shape(1, width));
    }

    SequentialBlock block() {
        return block;
    }

    NDArray forward(ParameterStore parameters, NDArray pooled, boolean training) {
        return block.forward(parameters, new NDList(pooled), training).head();
    }
}
