package dev.hkd.losses;

import ai.djl.ndarray.NDArray;
import dev.hkd.api.Scalars;

/**
 * Tf-KD's regularisation with a virtual teacher (Yuan et al., CVPR 2020), as its authors'
 * {@code loss_kd_regularization} computes it (docs/methods.md#tfkd-reg), before its multiplier:
 * the KL divergence {@code Σ q · (log q − log softmax(z_s))} averaged over all {@code B · C}
 * elements (PyTorch's {@code KLDivLoss()} default {@code mean}, not {@code batchmean}). The target
 * is {@code q = softmax(u / T)} of the virtual teacher's probabilities {@code u} (the correct
 * probability at the label, the rest spread evenly over the other classes): the reference applies
 * a softmax to probabilities, which makes q nearly uniform. The student is not tempered. No
 * network teaches: only the labels.
 */
public final class VirtualTeacherLoss {

    private VirtualTeacherLoss() {}

    /**
     * @param studentLogits {@code [B, C]}, C ≥ 2
     * @param labels {@code [B]} int64
     * @param temperature T of the virtual teacher
     * @param correctProbability u at the label (0.99)
     */
    public static NDArray compute(
            NDArray studentLogits, NDArray labels, double temperature, double correctProbability) {
        int classes = Math.toIntExact(studentLogits.getShape().get(1));
        double other = (1.0 - correctProbability) / (classes - 1);
        NDArray oneHot = labels.oneHot(classes).toType(studentLogits.getDataType(), false);
        NDArray virtual = Scalars.mul(oneHot, (correctProbability - other) / temperature)
                .add(Scalars.of(oneHot, other / temperature));
        NDArray logQ = virtual.logSoftmax(1).stopGradient();
        return logQ.exp().mul(logQ.sub(studentLogits.logSoftmax(1))).mean();
    }
}
