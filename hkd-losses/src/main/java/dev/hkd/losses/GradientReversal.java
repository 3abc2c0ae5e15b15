package dev.hkd.losses;

import ai.djl.ndarray.NDArray;
import dev.hkd.api.Scalars;

/**
 * A gradient-reversal layer (Ganin and Lempitsky, 2015) as CTKD uses it: the identity forward,
 * the incoming gradient times λ backward. Written as {@code sg(x) + λ · (x − sg(x))} with
 * {@code sg} DJL's stop-gradient: the forward value is exactly x ({@code x − sg(x)} is exactly 0),
 * and the only path to x has gradient λ.
 *
 * <pre>{@code
 * NDArray theta = GradientReversal.apply(globalT, -0.5);   // the temperature ascends the loss
 * }</pre>
 */
public final class GradientReversal {

    private GradientReversal() {}

    /** x forward; {@code λ · ∂L/∂y} backward. λ is applied as given (CTKD's λ is ≤ 0). */
    public static NDArray apply(NDArray x, double lambda) {
        NDArray constant = x.stopGradient();
        return constant.add(Scalars.mul(x.sub(constant), lambda));
    }
}
