package dev.hkd.baselines.kd;

import dev.hkd.api.OptionException;
import dev.hkd.api.Distiller;
import dev.hkd.api.DistillerProvider;

/** {@code kd}: Hinton KD, T = 4, weight α = 0.9 with CE at 0.1 when used alone (RepDistiller's script). */
public final class KdProvider implements DistillerProvider<KdProvider.Config> {

    /**
     * @param temperature the softmax temperature T (reference: 4)
     * @param logitStandardization standardise both networks' logits per row before T (Sun et al.,
     *        CVPR 2024; their resnet32x4 → resnet8x4 recipe: T 2, KD weight 9, CE weight 1)
     */
    public record Config(double temperature, boolean logitStandardization) {
    }

    @Override
    public String id() {
        return "kd";
    }

    @Override
    public String description() {
        return "Hinton KD: KL(softmax(t/T) || softmax(s/T)) * T^2, batch mean (T = 4)";
    }

    @Override
    public Class<Config> configType() {
        return Config.class;
    }

    @Override
    public Config defaultConfig() {
        return new Config(4.0, false);
    }

    @Override
    public double referenceWeight() {
        return 1.0;
    }

    @Override
    public void validate(Config config) {
        if (!(config.temperature() > 0)) {
            throw new OptionException("temperature", "must be > 0, got " + config.temperature());
        }
    }

    @Override
    public Distiller create(Config config) {
        return new KdDistiller(config.temperature(), config.logitStandardization());
    }
}
