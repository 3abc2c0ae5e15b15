package dev.hkd.losses;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.hkd.api.Scalars;

/**
 * Normalized KD (Yang et al., ICCV 2023) as cls_KD's {@code NKDLoss} computes it
 * (docs/methods.md#nkd), in two parts:
 * <ul>
 *   <li>target: {@code −mean_n[p_t(y) · log p_s(y)]} with the untempered softmax over all classes
 *       and the teacher's probability a constant;</li>
 *   <li>non-target: {@code −T² · mean_n Σ_{k≠y} q_t(k) · log q_s(k)} with {@code q = softmax(z/T)}
 *       over the C − 1 non-target logits: the target column is removed before the softmax (a
 *       gather of the other columns, not a mask), so the non-target distributions are normalised
 *       among themselves.</li>
 * </ul>
 * The loss is {@code target + γ · nonTarget}.
 */
public final class NkdLoss {

    /** The two parts; {@code nonTarget} includes T² but not γ. */
    public record Terms(NDArray target, NDArray nonTarget) {}

    private NkdLoss() {}

    /**
     * @param studentLogits {@code [B, C]}
     * @param teacherLogits {@code [B, C]}, treated as a constant
     * @param labels {@code [B]} int64
     * @param temperature T of the non-target part
     */
    public static Terms compute(NDArray studentLogits, NDArray teacherLogits, NDArray labels, double temperature) {
        NDArray teacher = teacherLogits.stopGradient();
        NDArray target = labels.reshape(-1, 1);
        NDArray logPsTarget = studentLogits.logSoftmax(1).gather(target, 1);
        NDArray ptTarget = teacher.softmax(1).gather(target, 1);
        NDArray targetTerm = ptTarget.mul(logPsTarget).mean().neg();

        NDArray others = nonTargetColumns(labels, studentLogits.getShape().get(1));
        NDArray logQs =
                Scalars.div(studentLogits.gather(others, 1), temperature).logSoftmax(1);
        NDArray qt = Scalars.div(teacher.gather(others, 1), temperature).softmax(1);
        NDArray nonTarget = Scalars.mul(qt.mul(logQs).sum(new int[] {1}).mean(), -temperature * temperature);
        return new Terms(targetTerm, nonTarget);
    }

    /** {@code [B, C − 1]} int64: each row's column indices other than its label, in order. */
    static NDArray nonTargetColumns(NDArray labels, long classes) {
        NDArray columns = labels.getManager()
                .arange(0, (int) classes - 1, 1, DataType.INT64)
                .reshape(1, -1);
        // Column j of a row stands for class j below the label and j + 1 from it on.
        return columns.add(columns.gte(labels.reshape(-1, 1)).toType(DataType.INT64, false));
    }
}
