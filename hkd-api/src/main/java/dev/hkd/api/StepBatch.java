package dev.hkd.api;

import ai.djl.ndarray.NDArray;

/**
 * The batch metadata a distiller may use at one training step.
 *
 * <pre>{@code
 * NDArray rows = memory.get(new NDIndex("{}", batch.sampleIndices()));   // this batch's memory rows
 * double warmUp = Math.min(1.0, batch.epoch() / 20.0);                    // ReviewKD's ramp
 * }</pre>
 *
 * @param labels class labels {@code [B]}, int64
 * @param sampleIndices dataset index of each sample {@code [B]}, int64, or null unless
 *     {@link DataNeeds#sampleIndex()} was asked for
 * @param contrastIndices {@code [B, columns]} int64 indices drawn per {@link DataNeeds#contrastMode()},
 *     or null
 * @param epoch the 0-based epoch this step belongs to
 */
public record StepBatch(NDArray labels, NDArray sampleIndices, NDArray contrastIndices, int epoch) {

    public int size() {
        return Math.toIntExact(labels.getShape().get(0));
    }
}
