package dev.hkd.baselines.feature;

import dev.hkd.api.AbstractDistillerProvider;
import dev.hkd.api.Distiller;
import dev.hkd.api.LossTerms;
import dev.hkd.api.Positive;
import dev.hkd.losses.PktLoss;

/** {@code pkt}: probabilistic knowledge transfer on the penultimate vectors, β = 30000 (RepDistiller). */
public final class PktProvider extends AbstractDistillerProvider<PktProvider.Config> {

    /** @param eps the ε of the normalisation and the divergence (1e-7) */
    public record Config(@Positive double eps) {}

    public PktProvider() {
        super(
                "pkt",
                "PKT: probabilistic knowledge transfer of penultimate features (ECCV 2018)",
                new Config(1e-7),
                30000);
    }

    @Override
    public Distiller create(Config c) {
        return step -> LossTerms.of(
                "pkt",
                PktLoss.compute(step.student().penultimate(), step.teacher().penultimate(), c.eps()));
    }
}
