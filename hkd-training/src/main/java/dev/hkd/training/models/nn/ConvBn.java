package dev.hkd.training.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;

/**
 * A convolution and the BatchNorm of its output, the pair every reference model chains as
 * {@code bn(conv(x))}; its two blocks are registered by the owner under the reference's names
 * ({@link Module#convBn}, or a {@link Container}'s indices).
 */
public record ConvBn(Conv conv, Bn bn) {

    /** {@code conv} and a new BatchNorm of its output, for the owner to register. */
    public static ConvBn of(Conv conv) {
        return new ConvBn(conv, new Bn(conv.outChannels()));
    }

    /** {@code bn(conv(x))}. */
    public NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        return Module.run(bn, ps, Module.run(conv, ps, x, training), training);
    }

    /** {@code relu(bn(conv(x)))}. */
    public NDArray applyRelu(ParameterStore ps, NDArray x, boolean training) {
        return Functional.relu(apply(ps, x, training));
    }
}
