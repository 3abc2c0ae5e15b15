package dev.hkd.baselines.rkd;

import dev.hkd.api.DistillationStep;
import dev.hkd.api.Distiller;
import dev.hkd.api.DistillerProvider;
import dev.hkd.api.LossTerms;
import dev.hkd.api.OptionException;
import dev.hkd.api.Scalars;
import dev.hkd.losses.RkdLoss;

/**
 * {@code rkd}: Relational KD on the pooled penultimate features, no head (docs/methods.md#rkd);
 * β = 1, with the distance and angle weights 25 and 50 inside the loss as RepDistiller.
 */
public final class RkdProvider implements DistillerProvider<RkdProvider.Config> {

    /**
     * @param distanceWeight w_d (25)
     * @param angleWeight w_a (50)
     */
    public record Config(double distanceWeight, double angleWeight) {}

    @Override
    public String id() {
        return "rkd";
    }

    @Override
    public String description() {
        return "RKD: distance (25) + angle (50) relations of penultimate features (CVPR 2019)";
    }

    @Override
    public Class<Config> configType() {
        return Config.class;
    }

    @Override
    public Config defaultConfig() {
        return new Config(25.0, 50.0);
    }

    @Override
    public double referenceWeight() {
        return 1.0;
    }

    @Override
    public void validate(Config c) {
        OptionException.require(c.distanceWeight() >= 0, "distance_weight", "must be >= 0, got " + c.distanceWeight());
        OptionException.require(c.angleWeight() >= 0, "angle_weight", "must be >= 0, got " + c.angleWeight());
    }

    @Override
    public Distiller create(Config config) {
        return new Distiller() {
            @Override
            public LossTerms loss(DistillationStep step) {
                RkdLoss.Terms t = RkdLoss.compute(
                        step.student().penultimate(), step.teacher().penultimate());
                return LossTerms.of(
                        "distance",
                        Scalars.mul(t.distance(), config.distanceWeight()),
                        "angle",
                        Scalars.mul(t.angle(), config.angleWeight()));
            }
        };
    }
}
