package dev.hkd.losses;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import dev.hkd.api.Scalars;
import java.util.ArrayList;
import java.util.List;

/**
 * Self-supervised knowledge distillation with SVD as RepDistiller's {@code KDSVD} (k = 1). Per
 * sample a map becomes the {@code [H·H, C]} matrix whose leading right singular vector (teacher) or
 * four (student) are taken; the student vector with the largest |cosine| to the teacher's is kept,
 * times the cosine's sign. Stage i ≥ 1 compares RBF matrices
 * {@code R[a, b] = exp(−(v_i[a] − v_{i−1}[b])² / 8)} of the student's and the (constant) teacher's
 * vectors: {@code Σ (R_s − R_t)²} over samples and entries, non-finite terms 0, divided by the batch
 * size. Student and teacher need the same channel count at each stage.
 *
 * <p>The reference's loss depends on the arbitrary sign LAPACK gives each teacher vector; here the
 * sign is fixed so that the largest-magnitude entry is positive.
 */
public final class KdsvdLoss {

    /** The student keeps {@code k + 3} vectors, as the reference does. */
    private static final int STUDENT_VECTORS = 4;

    private KdsvdLoss() {}

    /** The loss of each stage from the second on, in order; the method's loss is their sum. */
    public static List<NDArray> perStage(List<NDArray> student, List<NDArray> teacher) {
        List<NDArray> out = new ArrayList<>();
        NDArray previousS = null;
        NDArray previousT = null;
        long batch = student.get(0).getShape().get(0);
        for (int i = 0; i < Math.min(student.size(), teacher.size()); i++) {
            NDArray s = student.get(i);
            NDArray t = teacher.get(i).stopGradient();
            if (s.getShape().get(1) != t.getShape().get(1)) {
                throw new IllegalArgumentException("KDSVD needs equal channel counts at each stage: student "
                        + s.getShape() + ", teacher " + t.getShape() + " at stage " + i);
            }
            NDArray vt = teacherVector(t);
            NDArray vs = aligned(LeadingSingularVectors.of(matrix(s), Math.min(STUDENT_VECTORS, rank(s))), vt);
            if (previousS != null) {
                NDArray rs = rbf(vs, previousS);
                NDArray rt = rbf(vt, previousT).stopGradient();
                NDArray sq = rs.sub(rt).square();
                NDArray finite = sq.isNaN().logicalOr(sq.isInfinite()).logicalNot();
                out.add(Scalars.div(NDArrays.where(finite, sq, sq.zerosLike()).sum(), batch));
            }
            previousS = vs;
            previousT = vt;
        }
        return out;
    }

    /** The teacher's leading right singular vector per sample, {@code [B, C]}, largest-magnitude entry positive. */
    public static NDArray teacherVector(NDArray teacherMap) {
        NDArray v = LeadingSingularVectors.constant(matrix(teacherMap), 1).squeeze(2);
        NDArray magnitude = v.abs();
        NDArray largest = magnitude.eq(magnitude.max(new int[] {1}, true));
        NDArray sign = v.mul(largest.toType(v.getDataType(), false))
                .sum(new int[] {1}, true)
                .sign();
        return v.mul(sign).stopGradient();
    }

    /** {@code [B, C, H, W] → [B, H·H, C]}: the transpose of the {@code [C, H·H]} view, as the reference builds it. */
    private static NDArray matrix(NDArray f) {
        long h = f.getShape().get(2);
        return f.reshape(f.getShape().get(0), f.getShape().get(1), h * h).transpose(0, 2, 1);
    }

    private static int rank(NDArray f) {
        long h = f.getShape().get(2);
        return (int) Math.min(f.getShape().get(1), h * h);
    }

    /** The student vector with the largest |cosine| to the teacher's, times its sign: {@code [B, C]}. */
    private static NDArray aligned(NDArray studentVectors, NDArray teacherVector) {
        NDArray cosine = studentVectors.transpose(0, 2, 1).matMul(teacherVector.expandDims(2));
        NDArray magnitude = cosine.abs();
        NDArray pick = magnitude
                .eq(magnitude.max(new int[] {1}, true))
                .toType(cosine.getDataType(), false)
                .mul(cosine.sign())
                .stopGradient();
        return studentVectors.matMul(pick).squeeze(2);
    }

    /** {@code [B, C_i, C_{i−1}]}: {@code exp(−(v[a] − previous[b])² / 8)}. */
    private static NDArray rbf(NDArray v, NDArray previous) {
        NDArray diff = v.expandDims(2).sub(previous.expandDims(1));
        return Scalars.mul(diff.square(), -1.0 / 8).exp();
    }
}
