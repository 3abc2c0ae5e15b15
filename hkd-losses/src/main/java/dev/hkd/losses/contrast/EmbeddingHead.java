package dev.hkd.losses.contrast;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.UniformInitializer;

/**
 * The embedding head of CRD and HKD: {@code l2n(W·h + b)}, a Linear layer with PyTorch's default
 * initialisation (weight and bias {@code U(±1/√fan_in)}), then L2 normalisation.
 */
public final class EmbeddingHead {

    private EmbeddingHead() {}

    /** An initialised {@code in → out} layer in {@code dataType}; its parameters are named {@code weight} and {@code bias}. */
    public static Linear create(NDManager manager, long in, long out, DataType dataType) {
        Linear linear = Linear.builder().setUnits(out).optBias(true).build();
        float bound = (float) (1.0 / Math.sqrt(in));
        linear.setInitializer(new UniformInitializer(bound), Parameter.Type.WEIGHT);
        linear.setInitializer(new UniformInitializer(bound), Parameter.Type.BIAS);
        linear.initialize(manager, dataType, new Shape(1, in));
        return linear;
    }

    /** {@code l2n(head(x))} for {@code x [B, in]} (feature maps are flattened). */
    public static NDArray embed(Linear head, ParameterStore parameters, NDArray x, boolean training) {
        NDArray rows = x.reshape(x.getShape().get(0), -1);
        return L2Normalize.rows(
                head.forward(parameters, new NDList(rows), training).head());
    }
}
