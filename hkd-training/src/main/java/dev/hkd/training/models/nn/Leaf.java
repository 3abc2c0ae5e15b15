package dev.hkd.training.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A layer that declares its parameters with their PyTorch shapes when it is built ({@link Conv},
 * {@link Bn}, {@link Fc}), so that initialising it needs no shape inference.
 */
abstract class Leaf extends AbstractBlock {

    private final Map<String, Parameter> stateDict = new LinkedHashMap<>();

    Leaf() {
        super((byte) 1);
    }

    /** Declares a trained parameter, named as in the reference's state dict too ({@code weight}). */
    final Parameter trained(String name, Parameter.Type type, Shape shape, Initializer initializer) {
        return register(name, declare(name, type, shape, initializer).build());
    }

    /**
     * Declares a trained parameter with the type's default initialiser (DJL's: γ 1, β 0), whose
     * name in the reference's state dict is another ({@code gamma} is PyTorch's {@code weight}).
     */
    final Parameter trainedAs(String name, String referenceName, Parameter.Type type, Shape shape) {
        return register(referenceName, declare(name, type, shape, null).build());
    }

    /**
     * Declares a buffer, {@code referenceName} in the reference's state dict: saved, imported and
     * updated by the layer itself, never trained.
     */
    final Parameter bufferAs(
            String name, String referenceName, Parameter.Type type, Shape shape, Initializer initializer) {
        return register(
                referenceName,
                declare(name, type, shape, initializer).optRequiresGrad(false).build());
    }

    /** The layer's parameters under the reference's PyTorch names, in the order they were declared. */
    final Map<String, Parameter> stateDict() {
        return Collections.unmodifiableMap(stateDict);
    }

    private Parameter register(String referenceName, Parameter parameter) {
        stateDict.put(referenceName, parameter);
        return addParameter(parameter);
    }

    private static Parameter.Builder declare(String name, Parameter.Type type, Shape shape, Initializer initializer) {
        // A null initialiser leaves the type's default, as not setting one does.
        return Parameter.builder().setName(name).setType(type).optShape(shape).optInitializer(initializer);
    }

    /** The parameter's value on the input's device. */
    static NDArray value(ParameterStore ps, Parameter parameter, NDArray x, boolean training) {
        return ps.getValue(parameter, x.getDevice(), training);
    }
}
