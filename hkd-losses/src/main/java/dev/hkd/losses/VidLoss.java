package dev.hkd.losses;

import ai.djl.ndarray.NDArray;
import dev.hkd.api.Scalars;

/**
 * Variational information distillation's Gaussian negative log-likelihood (RepDistiller's
 * {@code VIDLoss}): {@code mean(½((μ − t)²/σ² + log σ²))} with {@code σ² = softplus(log_scale) + ε}
 * per channel.
 */
public final class VidLoss {

    private VidLoss() {}

    /**
     * @param predictedMean the regressor's output {@code [B, C, H, W]}
     * @param target the teacher's map, same shape
     * @param logScale {@code [C]}
     */
    public static NDArray compute(NDArray predictedMean, NDArray target, NDArray logScale, double eps) {
        NDArray variance =
                Scalars.add(Scalars.add(logScale.exp(), 1).log(), (float) eps).reshape(1, -1, 1, 1);
        NDArray diff = predictedMean.sub(target.stopGradient());
        return Scalars.mul(diff.square().div(variance).add(variance.log()), 0.5f)
                .mean();
    }
}
