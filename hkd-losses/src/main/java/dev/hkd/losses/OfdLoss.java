package dev.hkd.losses;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.hkd.api.Scalars;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * The feature loss of "A Comprehensive Overhaul of Feature Distillation" as mdistiller's OFD
 * computes it, on pre-ReLU maps. With x the connected student map, t the teacher map pooled to x's
 * size and M the channel's margin, the elementwise term is
 * {@code (x−M)²·[x > M ∧ t ≤ M] + (x−t)²·[x > t ∧ M < t ≤ 0] + (x−t)²·[t > 0]}; the stage value is
 * its mean over the batch summed over C, H, W, divided by {@code 2^(n−1−i)} (the last stage weighs 1).
 */
public final class OfdLoss {

    private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(null, 0, 1);

    private OfdLoss() {}

    /** The stage values, stage weight included, in order; the method's loss is their sum (times mdistiller's 0.001). */
    public static List<NDArray> perStage(List<NDArray> connected, List<NDArray> teacher, List<NDArray> margins) {
        int n = connected.size();
        List<NDArray> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            NDArray x = connected.get(i);
            NDArray t = AdaptiveAveragePool.of(
                    teacher.get(i).stopGradient(), (int) x.getShape().get(2));
            NDArray m = margins.get(i)
                    .reshape(new Shape(1, margins.get(i).size(), 1, 1))
                    .toType(x.getDataType(), false);
            NDArray toMargin = x.gt(m).logicalAnd(t.lte(m));
            NDArray toTeacher = x.gt(t).logicalAnd(t.gt(m)).logicalAnd(t.lte(0)).logicalOr(t.gt(0));
            NDArray term = x.sub(m)
                    .square()
                    .mul(toMargin.toType(x.getDataType(), false))
                    .add(x.sub(t).square().mul(toTeacher.toType(x.getDataType(), false)));
            out.add(Scalars.div(term.sum(), x.getShape().get(0) * Math.pow(2, n - 1 - i)));
        }
        return out;
    }

    /**
     * The margin of each channel from the teacher's BatchNorm before the ReLU ({@code gamma},
     * {@code beta}): with s = |γ| and m = β, the expectation of the pre-activation below zero,
     * {@code m − s·φ(m/s)/Φ(−m/s)}, or {@code −3s} when {@code Φ(−m/s) ≤ 0.001}. Rounded to float,
     * as the reference stores them.
     */
    public static float[] margins(double[] gamma, double[] beta) {
        float[] out = new float[gamma.length];
        for (int c = 0; c < gamma.length; c++) {
            double s = Math.abs(gamma[c]);
            double m = beta[c];
            double below = STANDARD_NORMAL.cumulativeProbability(-m / s);
            out[c] = (float) (below > 0.001 ? m - s * STANDARD_NORMAL.density(m / s) / below : -3 * s);
        }
        return out;
    }
}
