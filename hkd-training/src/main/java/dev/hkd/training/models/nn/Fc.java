package dev.hkd.training.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.util.PairList;

/** A fully connected layer, weight {@code [out, in]}. */
public final class Fc extends Leaf {

    /** Initialisations of the reference zoo. */
    public enum Init {
        /** PyTorch's default {@code U(±1/√fan_in)} for weight and bias. */
        PYTORCH_DEFAULT,
        /** Default weight, bias 0 (WRN). */
        ZERO_BIAS,
        /** {@code N(0, 0.01²)}, bias 0 (VGG, MobileNetV2). */
        SMALL_NORMAL
    }

    private final Parameter weight;
    private final Parameter bias;

    public Fc(long in, long out, Init init) {
        UniformInitializer uniform = new UniformInitializer((float) (1.0 / Math.sqrt(in)));
        Initializer w = init == Init.SMALL_NORMAL ? new NormalInitializer(0.01f) : uniform;
        Initializer b = init == Init.PYTORCH_DEFAULT ? uniform : new ConstantInitializer(0f);
        weight = trained("weight", Parameter.Type.WEIGHT, new Shape(out, in), w);
        bias = trained("bias", Parameter.Type.BIAS, new Shape(out), b);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.head();
        return Linear.linear(x, value(ps, weight, x, training), value(ps, bias, x, training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {
            new Shape(inputShapes[0].get(0), weight.getArray().getShape().get(0))
        };
    }
}
