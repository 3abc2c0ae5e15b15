package dev.hkd.losses;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * ReviewKD's hierarchical context loss (ALGORITHMS.md §5.5): per level, MSE between the maps plus
 * MSE between their adaptive average pools to 4×4, 2×2 and 1×1 — each pyramid level used only
 * when smaller than the map, with weights halving per used level and the sum divided by the
 * weights' total — summed (not averaged) over levels.
 */
public final class HclLoss {

    private static final int[] PYRAMID = {4, 2, 1};

    private HclLoss() {
    }

    /** Levels pair up in order; each pair has equal shapes {@code [B, C, H, W]}. */
    public static NDArray compute(List<NDArray> student, List<NDArray> teacher) {
        if (student.size() != teacher.size()) {
            throw new IllegalArgumentException("HCL needs as many student as teacher levels: " + student.size() + " vs " + teacher.size());
        }
        NDArray total = null;
        for (int level = 0; level < student.size(); level++) {
            NDArray s = student.get(level);
            NDArray t = teacher.get(level).stopGradient();
            if (!s.getShape().equals(t.getShape())) {
                throw new IllegalArgumentException("HCL level " + level + ": student " + s.getShape() + " vs teacher " + t.getShape());
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
                loss = loss.add(mse(adaptiveAveragePool(s, p), adaptiveAveragePool(t, p)).mul((float) weight));
                weights += weight;
            }
            loss = loss.div((float) weights);
            total = total == null ? loss : total.add(loss);
        }
        return total;
    }

    private static NDArray mse(NDArray a, NDArray b) {
        return a.sub(b).square().mean();
    }

    /**
     * PyTorch's adaptive average pooling of {@code [B, C, H, W]} to {@code p × p}: output cell i
     * averages input rows {@code floor(i·H/p)} to {@code ceil((i+1)·H/p)}, as two small matrix products.
     */
    public static NDArray adaptiveAveragePool(NDArray x, int p) {
        NDArray rows = poolingMatrix(x.getManager(), (int) x.getShape().get(2), p);
        NDArray cols = poolingMatrix(x.getManager(), (int) x.getShape().get(3), p);
        return rows.matMul(x).matMul(cols.transpose());
    }

    private static NDArray poolingMatrix(NDManager manager, int size, int p) {
        float[] m = new float[p * size];
        for (int i = 0; i < p; i++) {
            int start = Math.floorDiv(i * size, p);
            int end = -Math.floorDiv(-(i + 1) * size, p);
            for (int j = start; j < end; j++) {
                m[i * size + j] = 1f / (end - start);
            }
        }
        return manager.create(m, new Shape(p, size)).toType(DataType.FLOAT32, false);
    }
}
