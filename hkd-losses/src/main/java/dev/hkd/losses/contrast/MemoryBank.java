package dev.hkd.losses.contrast;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import dev.hkd.api.Scalars;

/**
 * One memory bank of CRD and HKD: an {@code N × d} buffer of past embeddings, one row per
 * training sample, never trained (docs/methods.md#crd).
 *
 * <p>Scoring anchors against their sampled rows has two exact formulations ({@link BankScoring}):
 * one {@code B × d · d × N} product with the whole bank and the wanted columns picked from that
 * {@code B × N} matrix, cheap while K is a good part of N (CIFAR); or the sampled
 * {@code B × K × d} rows gathered and each anchor scored against its own, cheap when N is much
 * larger than K (ImageNet). {@link BankScoringCost} says which.
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
     * {@code out[a][i, j] = <M[indices[i, j]], anchors[a][i]>}: each anchor set's scores against
     * each row's own list of bank rows, {@code [B, K]} per set, differentiable with respect to the
     * anchors only. The anchor sets share the indices; gathered, they share one gather.
     *
     * @param anchorSets {@code [B, d]} each
     * @param indices {@code [B, K]} int64
     * @param how the formulation; {@link BankScoring#AUTO} resolves by {@link BankScoringCost}
     */
    public NDList scores(NDList anchorSets, NDArray indices, BankScoring how) {
        BankScoring chosen = choose(how, indices, anchorSets.size());
        NDList out = new NDList(anchorSets.size());
        if (chosen == BankScoring.WHOLE_BANK) {
            for (NDArray anchors : anchorSets) {
                out.add(anchors.matMul(rows.transpose()).gather(indices, 1));
            }
            return out;
        }
        // [B, K, d] · [B, d, a] -> [B, K, a]: one pass over the gathered rows for every anchor set,
        // forward and backward. Embedding's lookup is index_select over whole rows.
        NDArray gathered =
                Embedding.embedding(indices, rows, SparseFormat.DENSE).head();
        NDArray stacked = NDArrays.stack(anchorSets, 2);
        NDArray all = gathered.batchMatMul(stacked);
        for (int a = 0; a < anchorSets.size(); a++) {
            out.add(all.get(":, :, " + a));
        }
        return out;
    }

    /** The formulation {@code how} comes to for {@code anchorSets} sets scored at {@code indices} ({@code [B, K]}) against this bank. */
    public BankScoring choose(BankScoring how, NDArray indices, int anchorSets) {
        Shape shape = indices.getShape();
        return how.resolve(
                shape.get(0),
                shape.get(1),
                size(),
                dim(),
                anchorSets,
                rows.getDataType().getNumOfBytes());
    }

    /** {@link #scores(NDList, NDArray, BankScoring)} for one anchor set. */
    public NDArray scores(NDArray anchors, NDArray indices, BankScoring how) {
        return scores(new NDList(anchors), indices, how).head();
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
