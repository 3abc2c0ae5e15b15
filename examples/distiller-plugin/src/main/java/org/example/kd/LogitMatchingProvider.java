package org.example.kd;

import dev.hkd.api.Distiller;
import dev.hkd.api.DistillerProvider;

/** Registers {@code logit-matching}; listed in META-INF/services/dev.hkd.api.DistillerProvider. */
public final class LogitMatchingProvider implements DistillerProvider<LogitMatchingProvider.Config> {

    /** @param centre subtract each row's mean first (logits are shift-invariant) */
    public record Config(boolean centre) {
    }

    @Override
    public String id() {
        return "logit-matching";
    }

    @Override
    public String description() {
        return "Example plugin: MSE between (centred) student and teacher logits";
    }

    @Override
    public Class<Config> configType() {
        return Config.class;
    }

    @Override
    public Config defaultConfig() {
        return new Config(true);
    }

    @Override
    public double referenceWeight() {
        return 1.0;
    }

    @Override
    public Distiller create(Config config) {
        return new LogitMatching(config.centre());
    }
}
