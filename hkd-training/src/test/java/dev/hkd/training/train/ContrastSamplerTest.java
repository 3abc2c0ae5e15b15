package dev.hkd.training.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.hkd.api.ContrastMode;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The contrast sampler of docs/methods.md#sampler at CIFAR-100 scale (N = 50 000, K = 16 384). */
class ContrastSamplerTest {

    private static final int N = 50_000;
    private static final int CLASSES = 100;
    private static final int K = 16_384;

    private static int[] labels() {
        int[] labels = new int[N];
        for (int i = 0; i < N; i++) {
            labels[i] = i % CLASSES;
        }
        return labels;
    }

    @Test
    void negativesAreOtherClassesWithoutReplacementAndExactPutsTheSampleFirst() {
        int[] labels = labels();
        ContrastSampler sampler = new ContrastSampler(labels, CLASSES, ContrastMode.EXACT, K);
        int[] batch = {0, 1234, 49_999};
        try (NDManager m = Engines.training().newBaseManager()) {
            long[] rows = sampler.sample(m, batch, new SplittableRandom(1)).toLongArray();
            assertEquals(batch.length * (K + 1), rows.length);
            for (int b = 0; b < batch.length; b++) {
                int at = b * (K + 1);
                assertEquals(batch[b], rows[at]);
                Set<Long> seen = new HashSet<>();
                for (int j = 1; j <= K; j++) {
                    long n = rows[at + j];
                    assertNotEquals(labels[batch[b]], labels[(int) n], "a negative of the anchor's class");
                    assertTrue(seen.add(n), "a negative drawn twice");
                }
            }
        }
    }

    @Test
    void hkdModeHasNoPositiveColumnAndRelaxDrawsOneOfTheSameClass() {
        int[] labels = labels();
        try (NDManager m = Engines.training().newBaseManager()) {
            long[] hkd = new ContrastSampler(labels, CLASSES, ContrastMode.HKD, K)
                    .sample(m, new int[] {7}, new SplittableRandom(2))
                    .toLongArray();
            assertEquals(K, hkd.length);
            for (long n : hkd) {
                assertNotEquals(7, labels[(int) n]);
            }
            long[] relax = new ContrastSampler(labels, CLASSES, ContrastMode.RELAX, 5)
                    .sample(m, new int[] {7}, new SplittableRandom(2))
                    .toLongArray();
            assertEquals(7, labels[(int) relax[0]]);
        }
    }

    @Test
    void theSameRandomSourceDrawsTheSameIndicesWhateverCameBefore() {
        int[] labels = labels();
        ContrastSampler a = new ContrastSampler(labels, CLASSES, ContrastMode.HKD, K);
        ContrastSampler b = new ContrastSampler(labels, CLASSES, ContrastMode.HKD, K);
        try (NDManager m = Engines.training().newBaseManager()) {
            b.sample(m, new int[] {3, 4, 5}, new SplittableRandom(99));
            long[] first =
                    a.sample(m, new int[] {10, 20}, new SplittableRandom(5)).toLongArray();
            long[] second =
                    b.sample(m, new int[] {10, 20}, new SplittableRandom(5)).toLongArray();
            assertArrayEquals(first, second);
        }
    }
}
