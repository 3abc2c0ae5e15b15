package dev.hkd.experiments.parity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.hkd.api.ContrastMode;
import dev.hkd.training.train.ContrastSource;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The reference's contrast indices, one recorded {@code [B, K]} draw per step in order: in CRD's
 * exact mode the sample's own index is put first ({@code [index, contrast_index]}), in HKD's mode
 * they are used as they are.
 */
final class RecordedContrast implements ContrastSource {

    private final long[][][] draws;
    private final int[][] batches;
    private final ContrastMode mode;
    private int next;

    RecordedContrast(long[][][] draws, int[][] batches, ContrastMode mode) {
        if (mode != ContrastMode.EXACT && mode != ContrastMode.HKD) {
            throw new IllegalArgumentException(
                    "trajectory cases record contrast indices for modes exact and hkd, not " + mode);
        }
        this.draws = draws;
        this.batches = batches;
        this.mode = mode;
    }

    @Override
    public NDArray sample(NDManager manager, int[] indices, SplittableRandom random) {
        if (next >= draws.length) {
            throw new IllegalStateException(
                    "the case records " + draws.length + " steps of contrast indices, step " + (next + 1) + " asked");
        }
        if (!Arrays.equals(indices, batches[next])) {
            throw new IllegalStateException(
                    "step " + (next + 1) + " asked contrast indices for another batch than the recorded one");
        }
        long[][] rows = draws[next++];
        int k = rows[0].length;
        int cols = mode == ContrastMode.EXACT ? k + 1 : k;
        long[] out = new long[rows.length * cols];
        for (int b = 0; b < rows.length; b++) {
            int at = b * cols;
            if (mode == ContrastMode.EXACT) {
                out[at++] = indices[b];
            }
            System.arraycopy(rows[b], 0, out, at, k);
        }
        return manager.create(out, new Shape(rows.length, cols));
    }
}
