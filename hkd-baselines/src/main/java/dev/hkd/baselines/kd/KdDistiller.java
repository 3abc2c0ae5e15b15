package dev.hkd.baselines.kd;

import dev.hkd.api.DistillationStep;
import dev.hkd.api.Distiller;
import dev.hkd.api.LossTerms;
import dev.hkd.losses.KdLoss;

/** Hinton KD on the logits: one term, {@code kd}. */
public final class KdDistiller implements Distiller {

    private final double temperature;

    public KdDistiller(double temperature) {
        this.temperature = temperature;
    }

    @Override
    public LossTerms loss(DistillationStep step) {
        return LossTerms.of("kd", KdLoss.compute(step.student().logits(), step.teacher().logits(), temperature));
    }
}
