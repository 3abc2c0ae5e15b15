package dev.hkd.baselines.rkd;

import dev.hkd.api.AbstractDistillerProvider;
import dev.hkd.api.Distiller;
import dev.hkd.api.LossTerms;
import dev.hkd.api.NonNegative;
import dev.hkd.api.Scalars;
import dev.hkd.losses.RkdLoss;

/**
 * {@code rkd}: Relational KD on the pooled penultimate features, no head (docs/methods.md#rkd);
 * β = 1, with the distance and angle weights 25 and 50 inside the loss as RepDistiller.
 */
public final class RkdProvider extends AbstractDistillerProvider<RkdProvider.Config> {

    /**
     * @param distanceWeight w_d (25)
     * @param angleWeight w_a (50)
     */
    public record Config(
            @NonNegative double distanceWeight, @NonNegative double angleWeight) {}

    public RkdProvider() {
        super(
                "rkd",
                "RKD: distance (25) + angle (50) relations of penultimate features (CVPR 2019)",
                new Config(25.0, 50.0),
                1.0);
    }

    @Override
    public Distiller create(Config config) {
        return step -> {
            RkdLoss.Terms t =
                    RkdLoss.compute(step.student().penultimate(), step.teacher().penultimate());
            return LossTerms.of(
                    "distance",
                    Scalars.mul(t.distance(), config.distanceWeight()),
                    "angle",
                    Scalars.mul(t.angle(), config.angleWeight()));
        };
    }
}
