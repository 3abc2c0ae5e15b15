package dev.hkd.training.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.SplittableRandom;

/** Draws the contrast indices of one batch for the memory-bank methods. */
public interface ContrastSource {

    /** {@code [B, columns]} int64 contrast indices for the samples {@code indices}. */
    NDArray sample(NDManager manager, int[] indices, SplittableRandom random);
}
