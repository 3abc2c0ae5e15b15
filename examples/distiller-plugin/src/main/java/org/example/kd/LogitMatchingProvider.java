package org.example.kd;

import dev.hkd.api.AbstractDistillerProvider;
import dev.hkd.api.Distiller;

/** Registers {@code logit-matching}; listed in META-INF/services/dev.hkd.api.DistillerProvider. */
public final class LogitMatchingProvider extends AbstractDistillerProvider<LogitMatchingProvider.Config> {

    /** @param centre subtract each row's mean first (logits are shift-invariant) */
    public record Config(boolean centre) {}

    public LogitMatchingProvider() {
        super(
                "logit-matching",
                "Example plugin: MSE between (centred) student and teacher logits",
                new Config(true),
                1.0);
    }

    @Override
    public Distiller create(Config config) {
        return new LogitMatching(config.centre());
    }
}
