package dev.hkd.losses;

import ai.djl.ndarray.NDArray;
import dev.hkd.api.Scalars;

/**
 * DIST (Huang et al., NeurIPS 2022) as its authors' {@code dist_kd.py} computes it, with
 * {@code y = softmax(z / τ)}: the inter-class relation {@code 1 − mean over samples of
 * pearson(y_s[i], y_t[i])} and the intra-class relation, the same over classes (columns), each
 * times {@code τ²}. Pearson correlation is the cosine of the centred vectors with {@code 1e-8}
 * added to the product of norms. The teacher's logits are constants.
 */
public final class DistLoss {

    private static final double EPS = 1e-8;

    /** The two relations, each already times {@code τ²}, before β and γ. */
    public record Terms(NDArray inter, NDArray intra) {}

    private DistLoss() {}

    public static Terms compute(NDArray studentLogits, NDArray teacherLogits, double temperature) {
        NDArray ys = Scalars.div(studentLogits, temperature).softmax(1);
        NDArray yt = Scalars.div(teacherLogits.stopGradient(), temperature).softmax(1);
        double tau2 = temperature * temperature;
        NDArray inter = Scalars.mul(relation(ys, yt), tau2);
        NDArray intra = Scalars.mul(relation(ys.transpose(), yt.transpose()), tau2);
        return new Terms(inter, intra);
    }

    /**
     * Row norms; a constant row (norm 0) gets a finite gradient, as PyTorch's {@code norm} gives it,
     * instead of 0/0. The floor is far below the 1e-8 added to the product, so values are unchanged.
     */
    private static NDArray rowNorm(NDArray x) {
        return Scalars.maximum(x.square().sum(new int[] {1}), 1e-30).sqrt();
    }

    /** {@code 1 − mean_i pearson(a[i], b[i])} over the rows. */
    private static NDArray relation(NDArray a, NDArray b) {
        NDArray ca = a.sub(a.mean(new int[] {1}, true));
        NDArray cb = b.sub(b.mean(new int[] {1}, true));
        NDArray norms = Scalars.add(rowNorm(ca).mul(rowNorm(cb)), EPS);
        NDArray pearson = ca.mul(cb).sum(new int[] {1}).div(norms);
        return Scalars.add(pearson.mean().neg(), 1);
    }
}
