package dev.hkd.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

/**
 * Copies values into an existing array — restoring a checkpoint, a memory bank or a normaliser.
 *
 * <p>Why not {@code source.copyTo(target)} or {@code target.set(buffer)}: DJL implements both
 * under libtorch's deprecated {@code AutoNonVariableTypeMode}, which prints a multi-line warning
 * into every run's output. An indexed assignment over the whole array copies the same bits
 * without it.
 *
 * <pre>{@code
 * ArrayCopy.into(saved.get("memory_s").toType(memory.getDataType(), false), memory);
 * }</pre>
 */
public final class ArrayCopy {

    private static final NDIndex ALL = new NDIndex("...");

    private ArrayCopy() {}

    /** Writes {@code source}'s values into {@code target}; shapes and data types must match. */
    public static void into(NDArray source, NDArray target) {
        if (!source.getShape().equals(target.getShape()) || source.getDataType() != target.getDataType()) {
            throw new IllegalArgumentException("cannot copy " + source.getDataType() + source.getShape() + " into "
                    + target.getDataType() + target.getShape());
        }
        target.set(ALL, source);
    }
}
