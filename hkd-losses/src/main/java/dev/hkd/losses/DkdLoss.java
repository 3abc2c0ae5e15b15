package dev.hkd.losses;

import ai.djl.ndarray.NDArray;
import dev.hkd.api.Scalars;

/**
 * Decoupled KD (Zhao et al., CVPR 2022) as mdistiller's {@code dkd_loss} computes it, before the
 * warm-up factor. With {@code p = softmax(z / T)}:
 * <ul>
 *   <li>TCKD: the KL divergence between the teacher's and the student's binary distributions
 *       (target class, all other classes), {@code T² · Σ / B};</li>
 *   <li>NCKD: the KL divergence between their distributions over the non-target classes, taken as
 *       the reference takes them, {@code softmax(z / T − 1000 at the target)}, {@code T² · Σ / B}.</li>
 * </ul>
 * The teacher's logits are constants.
 */
public final class DkdLoss {

    /** The two parts, each already times {@code T²} and divided by the batch size. */
    public record Terms(NDArray tckd, NDArray nckd) {}

    private DkdLoss() {}

    /**
     * @param studentLogits {@code [B, C]}
     * @param teacherLogits {@code [B, C]}, treated as a constant
     * @param labels {@code [B]} int64 target classes
     */
    public static Terms compute(NDArray studentLogits, NDArray teacherLogits, NDArray labels, double temperature) {
        long batch = studentLogits.getShape().get(0);
        int classes = Math.toIntExact(studentLogits.getShape().get(1));
        NDArray teacher = teacherLogits.stopGradient();
        NDArray target = labels.oneHot(classes).toType(studentLogits.getDataType(), false);
        NDArray other = Scalars.add(target.neg(), 1);
        double scale = temperature * temperature / batch;

        NDArray ps = Scalars.div(studentLogits, temperature).softmax(1);
        NDArray pt = Scalars.div(teacher, temperature).softmax(1);
        NDArray binaryStudent = binary(ps, target, other);
        NDArray binaryTeacher = binary(pt, target, other);
        // A teacher probability of exactly 0 contributes 0, as in PyTorch's kl_div.
        NDArray logTeacher = Scalars.maximum(binaryTeacher, Float.MIN_NORMAL).log();
        NDArray tckd = Scalars.mul(
                binaryTeacher.mul(logTeacher.sub(binaryStudent.log())).sum(), scale);

        NDArray mask = Scalars.mul(target, 1000.0);
        NDArray logPt = Scalars.div(teacher, temperature).sub(mask).logSoftmax(1);
        NDArray logPs = Scalars.div(studentLogits, temperature).sub(mask).logSoftmax(1);
        NDArray nckd = Scalars.mul(logPt.exp().mul(logPt.sub(logPs)).sum(), scale);
        return new Terms(tckd, nckd);
    }

    /** {@code [B, 2]}: the probability of the target class and the sum over the others. */
    private static NDArray binary(NDArray p, NDArray target, NDArray other) {
        return p.mul(target).sum(new int[] {1}, true).concat(p.mul(other).sum(new int[] {1}, true), 1);
    }
}
