package dev.hkd.losses;

import ai.djl.ndarray.NDArray;
import dev.hkd.api.Scalars;

/**
 * Logit standardisation (Sun et al., CVPR 2024) as its authors' code computes it: each row becomes
 * {@code (z − mean z) / (1e-7 + std z)} with Bessel's correction, as {@code torch.std} does, before
 * any temperature is applied. It is differentiable: the student's gradient flows through the mean and
 * the standard deviation.
 */
public final class LogitStandardization {

    private static final double EPS = 1e-7;

    private LogitStandardization() {}

    /** {@code [B, C]} logits standardised per row. */
    public static NDArray apply(NDArray logits) {
        long classes = logits.getShape().get(1);
        NDArray centred = logits.sub(logits.mean(new int[] {1}, true));
        NDArray std = Scalars.div(centred.square().sum(new int[] {1}, true), classes - 1)
                .sqrt();
        return centred.div(Scalars.add(std, EPS));
    }
}
