package dev.hkd.losses;

import ai.djl.ndarray.NDArray;
import dev.hkd.api.Scalars;
import java.util.ArrayList;
import java.util.List;

/**
 * Activation-boundary loss as RepDistiller's {@code ABLoss}: with x the connected student
 * pre-activation, t the teacher's and margin m, the stage sum is
 * {@code Σ (x+m)²·[x > −m ∧ t ≤ 0] + (x−m)²·[x ≤ m ∧ t > 0]} (masks not differentiated). Stage i of
 * L weighs {@code 2^(i−L+1)} (the last weighs 1); each weighted sum is divided by the batch size
 * and multiplied by 3/1000, as the reference scales it.
 */
public final class AbLoss {

    private AbLoss() {}

    /** The weighted loss of each stage, in order; the method's loss is their sum. */
    public static List<NDArray> perStage(List<NDArray> connected, List<NDArray> teacher, double margin) {
        int stages = connected.size();
        List<NDArray> out = new ArrayList<>();
        for (int i = 0; i < stages; i++) {
            NDArray x = connected.get(i);
            NDArray t = teacher.get(i).stopGradient();
            NDArray below = x.gt(-margin).logicalAnd(t.lte(0)).toType(x.getDataType(), false);
            NDArray above = x.lte(margin).logicalAnd(t.gt(0)).toType(x.getDataType(), false);
            NDArray sum = Scalars.add(x, margin)
                    .square()
                    .mul(below)
                    .add(Scalars.sub(x, margin).square().mul(above))
                    .sum();
            double weight = Math.pow(2, i - stages + 1) / x.getShape().get(0) * 3 / 1000;
            out.add(Scalars.mul(sum, weight));
        }
        return out;
    }
}
