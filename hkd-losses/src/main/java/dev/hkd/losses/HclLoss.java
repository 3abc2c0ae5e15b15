package dev.hkd.losses;

import ai.djl.ndarray.NDArray;
import dev.hkd.api.Scalars;
import java.util.List;

/**
 * ReviewKD's hierarchical context loss (docs/methods.md#reviewkd): per level, MSE between the maps plus
 * MSE between their adaptive average pools to 4×4, 2×2 and 1×1 — each pyramid level used only
 * when smaller than the map, with weights halving per used level and the sum divided by the
 * weights' total — summed (not averaged) over levels.
 */
public final class HclLoss {

    private static final int[] PYRAMID = {4, 2, 1};

    private HclLoss() {}

    /** Levels pair up in order; each pair has equal shapes {@code [B, C, H, W]}. */
    public static NDArray compute(List<NDArray> student, List<NDArray> teacher) {
        if (student.size() != teacher.size()) {
            throw new IllegalArgumentException(
                    "HCL needs as many student as teacher levels: " + student.size() + " vs " + teacher.size());
        }
        NDArray total = null;
        for (int level = 0; level < student.size(); level++) {
            NDArray s = student.get(level);
            NDArray t = teacher.get(level).stopGradient();
            if (!s.getShape().equals(t.getShape())) {
                throw new IllegalArgumentException(
                        "HCL level " + level + ": student " + s.getShape() + " vs teacher " + t.getShape());
            }
            long h = s.getShape().get(2);
            NDArray loss = mse(s, t);
            double weight = 1;
            double weights = 1;
            for (int p : PYRAMID) {
                if (p >= h) {
                    continue;
                }
                weight /= 2;
                loss = loss.add(Scalars.mul(mse(AdaptiveAveragePool.of(s, p), AdaptiveAveragePool.of(t, p)), weight));
                weights += weight;
            }
            loss = Scalars.div(loss, weights);
            total = total == null ? loss : total.add(loss);
        }
        return total;
    }

    private static NDArray mse(NDArray a, NDArray b) {
        return a.sub(b).square().mean();
    }
}
