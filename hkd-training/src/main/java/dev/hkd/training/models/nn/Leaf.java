package dev.hkd.training.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;

/**
 * A layer that declares its parameters with their PyTorch shapes when it is built ({@link Conv},
 * {@link Bn}, {@link Fc}), so that initialising it needs no shape inference.
 */
abstract class Leaf extends AbstractBlock {

    Leaf() {
        super((byte) 1);
    }

    /** Declares a trained parameter with the type's default initialiser (DJL's: γ 1, β 0). */
    final Parameter trained(String name, Parameter.Type type, Shape shape) {
        return trained(name, type, shape, null);
    }

    final Parameter trained(String name, Parameter.Type type, Shape shape, Initializer initializer) {
        return addParameter(declare(name, type, shape, initializer).build());
    }

    /** Declares a buffer: saved, imported and updated by the layer itself, never trained. */
    final Parameter buffer(String name, Parameter.Type type, Shape shape, Initializer initializer) {
        return addParameter(
                declare(name, type, shape, initializer).optRequiresGrad(false).build());
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
