package dev.hkd.baselines.ctkd;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;
import dev.hkd.baselines.ReferenceNamed;
import java.util.Map;

/**
 * CTKD's {@code Global_T}: one trainable scalar θ ({@code global_T}, shape {@code [1]}) from which
 * the temperature is made. Forward returns θ, whatever the input (which only carries the device).
 * It trains in the student's SGD, weight decay included, as the reference's optimizer holds it.
 */
public final class GlobalTemperature extends AbstractBlock implements ReferenceNamed {

    private final Parameter theta;

    /** @param initial θ's starting value (the reference's 1) */
    public GlobalTemperature(double initial) {
        super((byte) 1);
        theta = addParameter(Parameter.builder()
                .setName("global_T")
                .setType(Parameter.Type.OTHER)
                .optShape(new Shape(1))
                .optInitializer(new ConstantInitializer((float) initial))
                .build());
    }

    /** Builds θ in {@code manager} and {@code dataType}. */
    public GlobalTemperature initialized(NDManager manager, DataType dataType) {
        initialize(manager, dataType, new Shape(1));
        return this;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(ps.getValue(theta, inputs.head().getDevice(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(1)};
    }

    @Override
    public Map<String, Parameter> referenceParameters() {
        return Map.of("global_T", theta);
    }
}
