package dev.hkd.training.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;
import dev.hkd.api.Scalars;

/**
 * BatchNorm2d as PyTorch: eps 1e-5, momentum 0.1, γ = 1, β = 0; running statistics are
 * parameters that never train but are saved, imported and updated in training mode, and so is
 * PyTorch's {@code num_batches_tracked} (int64), counted by every training-mode pass, so that a
 * student's state dict is the one PyTorch would hold after the same steps.
 */
public final class Bn extends Leaf {

    private final Parameter gamma;
    private final Parameter beta;
    private final Parameter runningMean;
    private final Parameter runningVar;
    private final Parameter batchesTracked;

    public Bn(long channels) {
        Shape s = new Shape(channels);
        gamma = trainedAs("gamma", "weight", Parameter.Type.GAMMA, s);
        beta = trainedAs("beta", "bias", Parameter.Type.BETA, s);
        runningMean =
                bufferAs("runningMean", "running_mean", Parameter.Type.RUNNING_MEAN, s, new ConstantInitializer(0f));
        runningVar = bufferAs("runningVar", "running_var", Parameter.Type.RUNNING_VAR, s, new ConstantInitializer(1f));
        batchesTracked = bufferAs(
                "batchesTracked",
                StateDict.BATCHES_TRACKED,
                Parameter.Type.OTHER,
                new Shape(),
                (manager, shape, dataType) -> manager.zeros(shape, DataType.INT64));
    }

    public Parameter gamma() {
        return gamma;
    }

    public Parameter beta() {
        return beta;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.head();
        if (training) {
            batchesTracked.getArray().addi(Scalars.of(batchesTracked.getArray(), 1));
        }
        // DJL counts momentum the other way round: 0.9 here is PyTorch's 0.1.
        return BatchNorm.batchNorm(
                x,
                value(ps, runningMean, x, training),
                value(ps, runningVar, x, training),
                value(ps, gamma, x, training),
                value(ps, beta, x, training),
                1,
                0.9f,
                1e-5f,
                training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }
}
