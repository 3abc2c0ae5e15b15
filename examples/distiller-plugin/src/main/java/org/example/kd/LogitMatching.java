package org.example.kd;

import ai.djl.ndarray.NDArray;
import dev.hkd.api.DistillationStep;
import dev.hkd.api.Distiller;
import dev.hkd.api.LossTerms;
import dev.hkd.api.ModelNeeds;

/** Mean squared error between centred student and teacher logits (Ba & Caruana's logit matching). */
final class LogitMatching implements Distiller {

    private final boolean centre;

    LogitMatching(boolean centre) {
        this.centre = centre;
    }

    @Override
    public ModelNeeds modelNeeds() {
        return ModelNeeds.LOGITS; // any teacher that gives logits will do
    }

    @Override
    public LossTerms loss(DistillationStep step) {
        NDArray s = step.student().logits();
        NDArray t = step.teacher().logits();
        if (centre) {
            s = s.sub(s.mean(new int[] {1}, true));
            t = t.sub(t.mean(new int[] {1}, true));
        }
        return LossTerms.of("mse", s.sub(t).square().mean());
    }
}
