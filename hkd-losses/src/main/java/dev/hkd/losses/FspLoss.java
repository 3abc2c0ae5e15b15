package dev.hkd.losses;

import ai.djl.ndarray.NDArray;
import dev.hkd.api.Scalars;
import java.util.ArrayList;
import java.util.List;

/**
 * The flow-of-solution-procedure loss as RepDistiller's {@code FSP}: for each consecutive pair of
 * maps (lower {@code g_i}, upper {@code g_{i+1}}) the larger is pooled to the other's height, the
 * FSP matrix is {@code G[n, c_up, c_low] = mean over positions of g_{i+1}[c_up]·g_i[c_low]}, and
 * the pair's loss is the mean squared difference of the student's and the teacher's matrices.
 * Student and teacher channel counts must match position by position.
 */
public final class FspLoss {

    private FspLoss() {}

    /** The loss of each consecutive pair of {@code feat[:-1]}, in order; the method's loss is their sum. */
    public static List<NDArray> perPair(List<NDArray> student, List<NDArray> teacher) {
        if (student.size() != teacher.size()) {
            throw new IllegalArgumentException(
                    "FSP needs as many student maps as teacher maps: " + student.size() + " vs " + teacher.size());
        }
        List<NDArray> out = new ArrayList<>();
        for (int i = 0; i + 1 < student.size(); i++) {
            NDArray gs = matrix(student.get(i), student.get(i + 1));
            NDArray gt = matrix(
                            teacher.get(i).stopGradient(), teacher.get(i + 1).stopGradient())
                    .stopGradient();
            out.add(gs.sub(gt).square().mean());
        }
        return out;
    }

    /** {@code [B, C_up, C_low]}: the position-averaged products of the upper and lower maps' channels. */
    static NDArray matrix(NDArray lower, NDArray upper) {
        long hl = lower.getShape().get(2);
        long hu = upper.getShape().get(2);
        if (hl > hu) {
            lower = AdaptiveAveragePool.of(lower, (int) hu);
        } else if (hl < hu) {
            upper = AdaptiveAveragePool.of(upper, (int) hl);
        }
        long b = lower.getShape().get(0);
        NDArray low = lower.reshape(b, lower.getShape().get(1), -1);
        NDArray up = upper.reshape(b, upper.getShape().get(1), -1);
        return Scalars.div(up.matMul(low.transpose(0, 2, 1)), low.getShape().get(2));
    }
}
