package dev.hkd.losses;

import ai.djl.ndarray.NDArray;
import dev.hkd.api.Scalars;

/**
 * The soft term of Weighted Soft Label Distillation (Zhou et al., ICLR 2021) as its authors'
 * {@code WSLDistiller} computes it (docs/methods.md#wsld): {@code T² · mean_n[w_n · H_n]} with
 * <ul>
 *   <li>{@code H_n = −Σ_k softmax(z_t/T)_k · log softmax(z_s/T)_k}, a cross-entropy, not a KL
 *       divergence (the teacher's entropy is part of the value, not of the gradient);</li>
 *   <li>{@code w_n = 1 − exp(−max(ce_s,n / (ce_t,n + 1e-7), 0))} from the untempered per-sample
 *       cross-entropies of the detached logits: no gradient flows through the weight.</li>
 * </ul>
 * The reference's total adds the plain cross-entropy, which the framework's γ·CE is.
 */
public final class WsldLoss {

    private WsldLoss() {}

    /**
     * @param studentLogits {@code [B, C]}
     * @param teacherLogits {@code [B, C]}, treated as a constant
     * @param labels {@code [B]} int64
     * @param temperature T
     * @return the scalar soft term, before the method's weight α
     */
    public static NDArray compute(NDArray studentLogits, NDArray teacherLogits, NDArray labels, double temperature) {
        NDArray teacher = teacherLogits.stopGradient();
        NDArray logPs = Scalars.div(studentLogits, temperature).logSoftmax(1);
        NDArray pt = Scalars.div(teacher, temperature).softmax(1);
        NDArray crossEntropy = pt.mul(logPs).sum(new int[] {1}).neg();

        NDArray target = labels.reshape(-1, 1);
        NDArray ceStudent = studentLogits
                .stopGradient()
                .logSoftmax(1)
                .gather(target, 1)
                .neg()
                .reshape(-1);
        NDArray ceTeacher = teacher.logSoftmax(1).gather(target, 1).neg().reshape(-1);
        NDArray ratio = Scalars.maximum(ceStudent.div(Scalars.add(ceTeacher, 1e-7)), 0.0);
        NDArray weight = Scalars.add(ratio.neg().exp().neg(), 1).stopGradient();
        return Scalars.mul(weight.mul(crossEntropy).mean(), temperature * temperature);
    }
}
