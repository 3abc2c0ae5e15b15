package dev.hkd.losses.contrast;

import dev.hkd.api.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * One memory bank of CRD and HKD: an {@code N × d} buffer of past embeddings, one row per
 * training sample, never trained (docs/methods.md#crd).
 *
 * <p>Scoring anchors against many rows is exact without gathering {@code B × K × d} rows: the
 * anchors are scored against the whole bank with one {@code B × d · d × N} product and the
 * wanted columns are picked from that {@code B × N} matrix.
 */
public final class MemoryBank {

    private final NDArray rows;

    private MemoryBank(NDArray rows) {
        this.rows = rows;
    }

    /** The reference initialisation: i.i.d. {@code U(−√(3/d), √(3/d))}, rows not normalised. */
    public static MemoryBank uniform(NDManager manager, int size, int dim) {
        float bound = (float) Math.sqrt(3.0 / dim);
        return new MemoryBank(manager.randomUniform(-bound, bound, new Shape(size, dim), DataType.FLOAT32));
    }

    /** The same draw, held in {@code dataType}. */
    public static MemoryBank uniform(NDManager manager, int size, int dim, DataType dataType) {
        MemoryBank drawn = uniform(manager, size, dim);
        return dataType == DataType.FLOAT32 ? drawn : new MemoryBank(drawn.rows.toType(dataType, false));
    }

    /** A bank holding exactly {@code rows} (taken over, not copied). */
    public static MemoryBank of(NDArray rows) {
        return new MemoryBank(rows);
    }

    /** The buffer itself, for checkpoints. */
    public NDArray array() {
        return rows;
    }

    public long size() {
        return rows.getShape().get(0);
    }

    public long dim() {
        return rows.getShape().get(1);
    }

    /** The rows {@code indices} ({@code [B]} int64) as a constant {@code [B, d]} copy. */
    public NDArray rows(NDArray indices) {
        return rows.get(new NDIndex("{}", indices));
    }

    /**
     * {@code out[i, j] = <M[indices[i, j]], anchors[i]>}: scores of each anchor against its own
     * list of rows, {@code [B, K]}, differentiable with respect to the anchors only.
     */
    public NDArray scores(NDArray anchors, NDArray indices) {
        NDArray all = anchors.matMul(rows.transpose());
        return all.gather(indices, 1);
    }

    /**
     * The momentum write {@code M[idx] ← l2n(m·M[idx] + (1−m)·v)} (no epsilon, as the reference).
     * Call outside gradient recording, after backward: the bank takes part in the step's graph.
     */
    public void update(NDArray indices, NDArray values, float momentum) {
        NDIndex at = new NDIndex("{}", indices);
        NDArray mixed = Scalars.mul(rows.get(at), momentum).add(Scalars.mul(values.stopGradient(), 1f - momentum));
        rows.set(at, L2Normalize.rows(mixed));
    }
}
