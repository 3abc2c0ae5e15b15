package dev.hkd.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Arithmetic with a constant inside a differentiable computation, safe under DJL's PyTorch engine.
 *
 * <p>Why this exists: {@code x.mul(0.5f)}, {@code div}, {@code pow}, {@code maximum} and
 * {@code minimum} with a Java number make DJL wrap the number in a tensor over a Java direct
 * buffer and close it right after the forward op. Autograd keeps that tensor for the backward
 * pass, but once the garbage collector frees the buffer, backward reads whatever memory now lies
 * there: gradients then depend on GC timing, runs stop being reproducible and unstable ones
 * diverge. The constants made here are allocated by libtorch, so autograd owns what it keeps.
 * ({@code add} and {@code sub} do not read their constant in backward, and comparisons have no
 * gradient, so those were never hit; they go through here too, so that there is one way to write a
 * constant and a build rule can forbid every Java-number overload outside this class.)
 *
 * <pre>{@code
 * NDArray kl = Scalars.mul(klSum, temperature * temperature / batch);
 * NDArray d = Scalars.maximum(squaredDistances, 1e-12).sqrt();
 * }</pre>
 */
public final class Scalars {

    private Scalars() {}

    /** A 0-dimensional tensor holding {@code value}, in {@code like}'s manager and data type. */
    public static NDArray of(NDArray like, double value) {
        if (like.getDataType() == DataType.FLOAT64) {
            // full() takes a float; a clone of a Java-made double keeps the precision and owns its memory.
            try (NDArray fromJava = like.getManager().create(value)) {
                return fromJava.duplicate();
            }
        }
        return like.getManager().full(new Shape(), (float) value, like.getDataType());
    }

    public static NDArray add(NDArray x, double value) {
        return x.add(of(x, value));
    }

    public static NDArray sub(NDArray x, double value) {
        return x.sub(of(x, value));
    }

    public static NDArray mod(NDArray x, double value) {
        return x.mod(of(x, value));
    }

    public static NDArray mul(NDArray x, double value) {
        return x.mul(of(x, value));
    }

    public static NDArray div(NDArray x, double value) {
        return x.div(of(x, value));
    }

    public static NDArray pow(NDArray x, double exponent) {
        return x.pow(of(x, exponent));
    }

    public static NDArray maximum(NDArray x, double value) {
        return x.maximum(of(x, value));
    }

    public static NDArray minimum(NDArray x, double value) {
        return x.minimum(of(x, value));
    }
}
