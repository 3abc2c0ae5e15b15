package dev.hkd.losses;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import dev.hkd.api.Scalars;

/**
 * SSKD's student-stage loss as its authors' code computes it (docs/methods.md#sskd) on a batch of B images
 * in four rotated views, row {@code 4b + r} being image b rotated by r·90°:
 * {@code λ_ce·CE(normal rows) + λ_kd·KD(normal rows) + λ_tf·KD(kept rotated rows)
 * + λ_ss·KD-style imitation of the teacher's [3B, B] cosine similarities (kept rows)}. Rows are
 * kept by the teacher's rank of the right answer: all correct rows plus the ⌊ρ·W⌋ least wrong of
 * the W wrong ones, ties by row number.
 */
public final class SskdLoss {

    /** Weights, temperatures and keep ratios; {@link #reference()} are the authors' defaults. */
    public record Settings(
            double ceWeight,
            double kdWeight,
            double tfWeight,
            double ssWeight,
            double kdT,
            double tfT,
            double ssT,
            double ratioTf,
            double ratioSs) {

        public static Settings reference() {
            return new Settings(0.1, 0.9, 2.7, 10.0, 4.0, 4.0, 0.5, 1.0, 0.75);
        }
    }

    /** Every term (unweighted), the weighted total, and what the keep rule chose. */
    public record Result(
            NDArray total,
            NDArray ce,
            NDArray kd,
            NDArray tf,
            NDArray ss,
            NDArray rankTf,
            NDArray rankSs,
            NDArray keptTf,
            NDArray keptSs,
            NDArray similarityStudent,
            NDArray similarityTeacher) {}

    private SskdLoss() {}

    /** The SS head {@code W2·relu(W1·h + b1) + b2}. */
    public static NDArray project(NDArray h, NDArray w1, NDArray b1, NDArray w2, NDArray b2) {
        NDArray hidden = h.matMul(w1.transpose()).add(b1);
        return Scalars.maximum(hidden, 0).matMul(w2.transpose()).add(b2);
    }

    /**
     * @param logitsS student logits {@code [4B, C]}
     * @param logitsT teacher logits {@code [4B, C]} (constant)
     * @param projS student head outputs {@code [4B, d_s]}
     * @param projT teacher head outputs {@code [4B, d_t]} (constant)
     * @param labels {@code [B]} int64
     */
    public static Result compute(
            NDArray logitsS, NDArray logitsT, NDArray projS, NDArray projT, NDArray labels, Settings s) {
        NDManager m = logitsS.getManager();
        int b = Math.toIntExact(labels.getShape().get(0));
        NDArray normal = rows(m, b, true);
        NDArray rotated = rows(m, b, false);
        NDArray zt = logitsT.stopGradient();
        NDArray pt = projT.stopGradient();

        NDArray ce = logitsS.get(new NDIndex("{}", normal))
                .logSoftmax(1)
                .gather(labels.reshape(-1, 1), 1)
                .neg()
                .mean();
        NDArray kd = KdLoss.compute(logitsS.get(new NDIndex("{}", normal)), zt.get(new NDIndex("{}", normal)), s.kdT());

        // Rotated row i belongs to image ⌊i/3⌋.
        NDArray owner = owners(m, b);
        NDArray rotatedLabels = labels.get(new NDIndex("{}", owner));
        NDArray ztRot = zt.get(new NDIndex("{}", rotated));
        NDArray rankTf = rank(ztRot, rotatedLabels);
        NDArray keptTf = keep(rankTf, s.ratioTf());
        NDArray tf = KdLoss.compute(
                logitsS.get(new NDIndex("{}", rotated)).get(new NDIndex("{}", keptTf)),
                ztRot.get(new NDIndex("{}", keptTf)),
                s.tfT());

        NDArray simS = cosine(projS.get(new NDIndex("{}", rotated)), projS.get(new NDIndex("{}", normal)));
        NDArray simT = cosine(pt.get(new NDIndex("{}", rotated)), pt.get(new NDIndex("{}", normal)));
        NDArray rankSs = rank(simT, owner);
        NDArray keptSs = keep(rankSs, s.ratioSs());
        NDArray ss = KdLoss.compute(simS.get(new NDIndex("{}", keptSs)), simT.get(new NDIndex("{}", keptSs)), s.ssT());

        NDArray total = Scalars.mul(ce, s.ceWeight())
                .add(Scalars.mul(kd, s.kdWeight()))
                .add(Scalars.mul(tf, s.tfWeight()))
                .add(Scalars.mul(ss, s.ssWeight()));
        return new Result(total, ce, kd, tf, ss, rankTf, rankSs, keptTf, keptSs, simS, simT);
    }

    /** The teacher head's pre-training loss (§4): CE of the raw cosines (τ = 1) against each rotated row's own image. */
    public static NDArray teacherPretraining(NDArray projT, int images) {
        NDManager m = projT.getManager();
        NDArray sim = cosine(
                projT.get(new NDIndex("{}", rows(m, images, false))),
                projT.get(new NDIndex("{}", rows(m, images, true))));
        NDArray owner = owners(m, images);
        return sim.logSoftmax(1).gather(owner.reshape(-1, 1), 1).neg().mean();
    }

    /** The teacher's similarities of rotated to normal rows, as used in pre-training. */
    public static NDArray teacherSimilarity(NDArray projT, int images) {
        NDManager m = projT.getManager();
        return cosine(
                projT.get(new NDIndex("{}", rows(m, images, false))),
                projT.get(new NDIndex("{}", rows(m, images, true))));
    }

    /** Row numbers of the normal ({@code 4b}) or rotated ({@code 4b+1..3}) views. */
    static NDArray rows(NDManager m, int images, boolean normal) {
        long[] idx = new long[normal ? images : 3 * images];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = normal ? 4L * i : 4L * (i / 3) + (i % 3) + 1;
        }
        return m.create(idx);
    }

    /** For each rotated row i, its image ⌊i/3⌋. */
    static NDArray owners(NDManager m, int images) {
        long[] idx = new long[3 * images];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i / 3;
        }
        return m.create(idx);
    }

    /** {@code cos(u_i, v_j) = u·v / max(‖u‖‖v‖, 1e-8)}, {@code [rows(u), rows(v)]}. */
    static NDArray cosine(NDArray u, NDArray v) {
        NDArray nu = u.square().sum(new int[] {1}).sqrt();
        NDArray nv = v.square().sum(new int[] {1}).sqrt();
        return u.matMul(v.transpose()).div(Scalars.maximum(nu.expandDims(1).mul(nv.expandDims(0)), 1e-8f));
    }

    /** 0-based rank of column {@code target[i]} in row i, sorted decreasingly: {@code #{j : x[i,j] > x[i,target]}}. */
    static NDArray rank(NDArray scores, NDArray target) {
        NDArray own = scores.gather(target.reshape(-1, 1), 1);
        return scores.gt(own).toType(DataType.INT64, false).sum(new int[] {1});
    }

    /**
     * KEEP(rank, ρ): every row with rank 0 plus the ⌊ρ·W⌋ wrong rows of smallest rank (ties by row
     * number), as row numbers in ascending order. Only the count W crosses to the host.
     */
    static NDArray keep(NDArray rank, double ratio) {
        long rows = rank.getShape().get(0);
        long wrong = rank.gt(0L).toType(DataType.INT64, false).sum().getLong();
        long kept = (rows - wrong) + (long) (wrong * ratio);
        NDArray key = Scalars.mul(rank, rows).add(rank.getManager().arange(0, (int) rows, 1, DataType.INT64));
        NDArray order = key.argSort(0, true);
        return order.get("0:" + kept).sort(0);
    }
}
