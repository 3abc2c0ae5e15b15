package dev.hkd.training.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.hkd.api.ContrastMode;
import dev.hkd.api.DataNeeds;
import java.util.SplittableRandom;

/**
 * The contrast sampler of CRD and HKD (docs/methods.md#sampler): per sample, K negatives drawn
 * uniformly without replacement from the samples of other classes (with replacement only when K
 * exceeds them), preceded in {@code exact} mode by the sample itself and in {@code relax} mode by a
 * random sample of its class; {@code hkd} mode has no positive column.
 *
 * <p>Drawing is a partial Fisher–Yates shuffle of a per-class pool of candidates, undone after
 * each sample so that the draw depends only on the random source: O(K) per sample, no hashing,
 * and a resumed run draws exactly what an uninterrupted one would.
 */
public final class ContrastSampler implements ContrastSource {

    private final ContrastMode mode;
    private final int negatives;
    private final int[] labels;
    private final int[][] otherClasses;
    private final int[][] sameClass;
    // Reused across steps: B × (K+1) indices are 8 MB at CIFAR scale; the engine copies them anyway.
    private long[] buffer = new long[0];
    private int[] swaps = new int[0];

    /**
     * The sampler a method's data needs ask for, over the training set's {@code labels}; null for a
     * method that draws no negatives.
     */
    public static ContrastSampler forMethod(DataNeeds needs, int[] labels, int numClasses) {
        return needs.contrastMode() == ContrastMode.NONE
                ? null
                : new ContrastSampler(labels, numClasses, needs.contrastMode(), needs.negatives());
    }

    public ContrastSampler(int[] labels, int numClasses, ContrastMode mode, int negatives) {
        if (mode == ContrastMode.NONE) {
            throw new IllegalArgumentException("contrast mode NONE draws nothing");
        }
        this.mode = mode;
        this.negatives = negatives;
        this.labels = labels.clone();
        int[] counts = new int[numClasses];
        for (int label : labels) {
            counts[label]++;
        }
        sameClass = new int[numClasses][];
        otherClasses = new int[numClasses][];
        for (int c = 0; c < numClasses; c++) {
            sameClass[c] = new int[counts[c]];
            otherClasses[c] = new int[labels.length - counts[c]];
        }
        int[] fillSame = new int[numClasses];
        int[] fillOther = new int[numClasses];
        for (int i = 0; i < labels.length; i++) {
            int label = labels[i];
            sameClass[label][fillSame[label]++] = i;
            for (int c = 0; c < numClasses; c++) {
                if (c != label) {
                    otherClasses[c][fillOther[c]++] = i;
                }
            }
        }
    }

    public int columns() {
        return mode.columns(negatives);
    }

    @Override
    public NDArray sample(NDManager manager, int[] indices, SplittableRandom random) {
        int cols = columns();
        if (buffer.length != indices.length * cols) {
            buffer = new long[indices.length * cols];
        }
        if (swaps.length != negatives) {
            swaps = new int[negatives];
        }
        long[] out = buffer;
        for (int b = 0; b < indices.length; b++) {
            int index = indices[b];
            int label = labels[index];
            int at = b * cols;
            if (mode == ContrastMode.EXACT) {
                out[at++] = index;
            } else if (mode == ContrastMode.RELAX) {
                int[] same = sameClass[label];
                out[at++] = same[random.nextInt(same.length)];
            }
            drawNegatives(otherClasses[label], random, out, at, swaps);
        }
        return manager.create(out, new Shape(indices.length, cols));
    }

    private void drawNegatives(int[] pool, SplittableRandom random, long[] out, int at, int[] swaps) {
        int n = pool.length;
        if (negatives > n) {
            for (int j = 0; j < negatives; j++) {
                out[at + j] = pool[random.nextInt(n)];
            }
            return;
        }
        for (int j = 0; j < negatives; j++) {
            int r = j + random.nextInt(n - j);
            swaps[j] = r;
            int chosen = pool[r];
            pool[r] = pool[j];
            pool[j] = chosen;
            out[at + j] = chosen;
        }
        for (int j = negatives - 1; j >= 0; j--) {
            int r = swaps[j];
            int t = pool[r];
            pool[r] = pool[j];
            pool[j] = t;
        }
    }
}
