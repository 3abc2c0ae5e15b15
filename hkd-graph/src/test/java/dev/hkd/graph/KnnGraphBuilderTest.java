package dev.hkd.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** A toy batch worked by hand (k = 3) for HKD's graph (docs/methods.md#hkd), and the tie order. */
class KnnGraphBuilderTest {

    private static final float[] LOGITS = {2, 0, 0, 1.9f, 0.1f, 0, 0, 2, 0, 0, 1.8f, 0.3f, 0, 0, 2, 0.5f, 0.5f, 1.5f};

    @Test
    void eachNodeIsItsOwnFirstNeighbourThenItsNearest() {
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            KnnGraph g = new KnnGraphBuilder(3).fromLogits(m.create(LOGITS, new Shape(6, 3)));
            assertArrayEquals(
                    new long[] {0, 1, 5, 1, 0, 5, 2, 3, 5, 3, 2, 5, 4, 5, 3, 5, 4, 3},
                    g.neighbours().toLongArray());
        }
    }

    @Test
    void aggregationIsTheMeanOverTheNeighbourListSelfIncluded() {
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            KnnGraph g = new KnnGraphBuilder(3).fromLogits(m.create(LOGITS, new Shape(6, 3)));
            NDArray x = m.create(new float[] {1, 0, 0, 1, 1, 1, 2, 0, 0, 2, 1, -1}, new Shape(6, 2));
            float[] a = g.propagation().matMul(x).toFloatArray();
            float t = 1f / 3;
            assertArrayEquals(new float[] {2 * t, 0, 2 * t, 0, 4 * t, 0, 4 * t, 0, 1, t, 1, t}, a, 1e-6f);
        }
    }

    @Test
    void distancesMatchTheReference() {
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            NDArray d = KnnGraphBuilder.cosineDistances(
                    m.create(LOGITS, new Shape(6, 3)).softmax(1));
            assertEquals(5.0789e-4, d.getFloat(0, 1), 1e-7);
            assertEquals(0.518166, d.getFloat(0, 5), 1e-6);
            assertEquals(0.041933, d.getFloat(4, 5), 1e-6);
            assertEquals(-1f, d.getFloat(3, 3));
        }
    }

    @Test
    void tiesGoToTheSmallerIndex() {
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            // Rows 1..6 are identical, so node 0 sees six equidistant candidates.
            float[] rows = new float[7 * 2];
            rows[0] = 1;
            for (int i = 1; i < 7; i++) {
                rows[2 * i] = 1;
                rows[2 * i + 1] = 1;
            }
            KnnGraph g = new KnnGraphBuilder(4).fromRows(m.create(rows, new Shape(7, 2)));
            long[] n = g.neighbours().toLongArray();
            assertArrayEquals(new long[] {0, 1, 2, 3}, java.util.Arrays.copyOfRange(n, 0, 4));
            assertArrayEquals(new long[] {6, 1, 2, 3}, java.util.Arrays.copyOfRange(n, 24, 28));
        }
    }
}
