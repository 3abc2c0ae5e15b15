package dev.hkd.baselines.kd;

import dev.hkd.api.AbstractDistillerProvider;
import dev.hkd.api.Distiller;
import dev.hkd.api.Positive;

/** {@code kd}: Hinton KD, T = 4, weight α = 0.9 with CE at 0.1 when used alone (RepDistiller's script). */
public final class KdProvider extends AbstractDistillerProvider<KdProvider.Config> {

    /**
     * @param temperature the softmax temperature T (reference: 4)
     * @param logitStandardization standardise both networks' logits per row before T (Sun et al.,
     *        CVPR 2024; their resnet32x4 → resnet8x4 recipe: T 2, KD weight 9, CE weight 1)
     */
    public record Config(@Positive double temperature, boolean logitStandardization) {}

    public KdProvider() {
        super(
                "kd",
                "Hinton KD: KL(softmax(t/T) || softmax(s/T)) * T^2, batch mean (T = 4)",
                new Config(4.0, false),
                1.0);
    }

    /** RepDistiller's {@code -r 0.1 -a 0.9} for KD alone; in {@code crd+kd} KD weighs 1. */
    @Override
    public WeightsAlone weightsAlone() {
        return new WeightsAlone(0.9, 0.1);
    }

    @Override
    public Distiller create(Config config) {
        return new KdDistiller(config.temperature(), config.logitStandardization());
    }
}
