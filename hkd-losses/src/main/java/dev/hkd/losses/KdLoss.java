package dev.hkd.losses;

import ai.djl.ndarray.NDArray;
import dev.hkd.api.Scalars;

/**
 * Hinton's knowledge-distillation loss as RepDistiller's {@code DistillKL} computes it
 * (docs/methods.md#kd): {@code T² · Σ p_t (log p_t − log p_s) / B} with {@code p = softmax(logits / T)}.
 */
public final class KdLoss {

    private KdLoss() {}

    /**
     * @param studentLogits {@code [B, C]}
     * @param teacherLogits {@code [B, C]}, treated as a constant
     * @param temperature T
     * @return the scalar loss
     */
    public static NDArray compute(NDArray studentLogits, NDArray teacherLogits, double temperature) {
        long batch = studentLogits.getShape().get(0);
        float t = (float) temperature;
        NDArray logPs = Scalars.div(studentLogits, t).logSoftmax(1);
        // log_softmax keeps log p_t finite, so p_t = 0 entries contribute exactly 0 rather than 0·(−∞).
        NDArray logPt = Scalars.div(teacherLogits.stopGradient(), t).logSoftmax(1);
        NDArray kl = logPt.exp().mul(logPt.sub(logPs)).sum();
        return Scalars.mul(kl, temperature * temperature / batch);
    }

    /**
     * The same loss at a temperature that is itself differentiable (CTKD's learnt τ): the gradient
     * reaches τ through both softmaxes and the τ² factor.
     *
     * @param temperature a 0-dimensional τ
     */
    public static NDArray compute(NDArray studentLogits, NDArray teacherLogits, NDArray temperature) {
        long batch = studentLogits.getShape().get(0);
        NDArray logPs = studentLogits.div(temperature).logSoftmax(1);
        NDArray logPt = teacherLogits.stopGradient().div(temperature).logSoftmax(1);
        NDArray kl = logPt.exp().mul(logPt.sub(logPs)).sum();
        return Scalars.div(kl.mul(temperature.square()), batch);
    }
}
