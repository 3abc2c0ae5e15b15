package dev.hkd.graph;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.hkd.api.Scalars;

/**
 * Builds HKD's per-batch instance graph on the engine (docs/methods.md#hkd):
 * cosine distance between rows, the diagonal set to −1, and the k smallest distances per row —
 * so each node is its own first neighbour, as the reference does.
 *
 * <p>Ties are broken by the smaller index. Torch's sort is not stable, so the order is made exact
 * instead: float32 distances in [−1, 2] are multiples of 2⁻²⁴ (1 − c for c ≥ ½ is exact, and for
 * c &lt; ½ rounds to that grid), so in float64 {@code distance + j·2⁻⁴¹} keeps every distinct
 * distance apart and orders equal ones by j, for batches up to 2¹⁶ nodes.
 */
public final class KnnGraphBuilder {

    private static final double TIE_BREAK = 0x1p-41;
    private final int k;

    public KnnGraphBuilder(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        this.k = k;
    }

    public int k() {
        return k;
    }

    /** The graph from logits: softmax (T = 1) of the detached logits, then cosine distance. */
    public KnnGraph fromLogits(NDArray logits) {
        return fromRows(logits.stopGradient().softmax(1));
    }

    /** The graph from any row vectors (e.g. pooled features), by cosine distance. */
    public KnnGraph fromRows(NDArray rows) {
        // Distances in float32 unless the networks run in float64 (the trajectory parity check).
        NDArray r = rows.stopGradient();
        NDArray distances =
                cosineDistances(r.getDataType() == DataType.FLOAT64 ? r : r.toType(DataType.FLOAT32, false));
        long b = distances.getShape().get(0);
        if (b < k) {
            throw new IllegalArgumentException(
                    "a kNN graph with k = " + k + " needs at least " + k + " nodes, got " + b);
        }
        NDArray column = Scalars.mul(distances.getManager().arange(0, (int) b, 1, DataType.FLOAT64), TIE_BREAK)
                .expandDims(0);
        NDArray keys = distances.toType(DataType.FLOAT64, false).add(column);
        NDArray neighbours = keys.topK(k, 1, false, true).get(1);
        return new KnnGraph(neighbours);
    }

    /**
     * {@code 1 − <p_i, p_j> / max(‖p_i‖·‖p_j‖, 1e-7)} with −1 on the diagonal, {@code [B, B]}.
     */
    public static NDArray cosineDistances(NDArray rows) {
        NDArray norms = rows.square().sum(new int[] {1}).sqrt();
        NDArray denominators = Scalars.maximum(norms.expandDims(1).mul(norms.expandDims(0)), 1e-7f);
        NDArray distances =
                Scalars.add(rows.matMul(rows.transpose()).div(denominators).neg(), 1);
        NDArray eye =
                rows.getManager().eye(Math.toIntExact(rows.getShape().get(0))).toType(rows.getDataType(), false);
        return distances.mul(Scalars.add(eye.neg(), 1)).sub(eye);
    }
}
