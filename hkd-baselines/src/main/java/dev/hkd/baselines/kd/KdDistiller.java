package dev.hkd.baselines.kd;

import ai.djl.ndarray.NDArray;
import dev.hkd.api.DistillationStep;
import dev.hkd.api.Distiller;
import dev.hkd.api.LossTerms;
import dev.hkd.api.ModelNeeds;
import dev.hkd.losses.KdLoss;
import dev.hkd.losses.LogitStandardization;

/**
 * Hinton KD on the logits: one term, {@code kd}. With logit standardisation both networks' logits
 * are standardised per row before the temperature.
 *
 * @param temperature T
 * @param standardize standardise both networks' logits per row first
 */
public record KdDistiller(double temperature, boolean standardize) implements Distiller {

    @Override
    public ModelNeeds modelNeeds() {
        return ModelNeeds.LOGITS;
    }

    @Override
    public LossTerms loss(DistillationStep step) {
        NDArray student = step.student().logits();
        NDArray teacher = step.teacher().logits();
        if (standardize) {
            student = LogitStandardization.apply(student);
            teacher = LogitStandardization.apply(teacher.stopGradient());
        }
        return LossTerms.of("kd", KdLoss.compute(student, teacher, temperature));
    }
}
