package dev.hkd.losses;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import dev.hkd.api.Scalars;

/**
 * Relational KD as RepDistiller computes it (docs/methods.md#rkd): a distance term and an angle
 * term between the student's and the teacher's embeddings of a batch, each a SmoothL1 mean over
 * all entries, diagonal and degenerate entries included.
 */
public final class RkdLoss {

    /** The two terms, unweighted. */
    public record Terms(NDArray distance, NDArray angle) {

        public NDArray weighted(double distanceWeight, double angleWeight) {
            return Scalars.mul(distance, distanceWeight).add(Scalars.mul(angle, angleWeight));
        }
    }

    private RkdLoss() {}

    /** Rows are samples; feature maps are flattened first. The teacher is constant. */
    public static Terms compute(NDArray student, NDArray teacher) {
        NDArray s = student.reshape(student.getShape().get(0), -1);
        NDArray t = teacher.stopGradient().reshape(teacher.getShape().get(0), -1);
        NDArray distance = smoothL1(normalisedDistances(s), normalisedDistances(t));
        NDArray angle = smoothL1(angles(s), angles(t));
        return new Terms(distance, angle);
    }

    /** {@code D / mean(D[D > 0])}, with {@code D[i,j] = sqrt(max(‖e_i−e_j‖², 1e-12))} and a zero diagonal. */
    static NDArray normalisedDistances(NDArray e) {
        NDArray squares = e.square().sum(new int[] {1});
        NDArray d2 = squares.expandDims(1).add(squares.expandDims(0)).sub(Scalars.mul(e.matMul(e.transpose()), 2));
        NDArray eye = e.getManager().eye(Math.toIntExact(e.getShape().get(0)));
        NDArray d = Scalars.maximum(d2, 1e-12).sqrt().mul(Scalars.add(eye.neg(), 1));
        NDArray positive = d.gt(0f).toType(d.getDataType(), false);
        NDArray mean = d.mul(positive).sum().div(positive.sum());
        return d.div(mean);
    }

    /** {@code A[i,j,k] = <u_ij, u_ik>} with {@code u_ij = (e_j − e_i)/max(‖e_j − e_i‖, 1e-12)}, flattened. */
    static NDArray angles(NDArray e) {
        NDArray diff = e.expandDims(0).sub(e.expandDims(1));
        NDArray norms = Norms.clamped(diff, 2, 1e-24f);
        NDArray unit = diff.div(norms);
        return unit.batchMatMul(unit.transpose(0, 2, 1)).reshape(-1);
    }

    /** PyTorch's smooth_l1_loss with β = 1, mean over all entries. */
    static NDArray smoothL1(NDArray x, NDArray y) {
        NDArray diff = x.sub(y).abs();
        NDArray quadratic = Scalars.mul(diff.square(), 0.5);
        NDArray linear = Scalars.sub(diff, 0.5);
        return NDArrays.where(diff.lt(1f), quadratic, linear).mean();
    }
}
