package dev.hkd.experiments.parity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import dev.hkd.api.Scalars;
import dev.hkd.losses.DkdLoss;
import dev.hkd.losses.LogitStandardization;
import java.util.Set;

/**
 * {@code dkd}: {@code min(epoch / warmup_epochs, 1) · (α·TCKD + β·NCKD)} (epoch counted from 1,
 * as the case gives it), optionally on standardised logits; the loss and its gradient with respect
 * to the student logits.
 */
final class DkdParity implements ParityCheck {

    @Override
    public Set<String> methods() {
        return Set.of("dkd");
    }

    @Override
    public void run(ParityCase c, NDManager m, Comparison cmp) {
        JsonNode inputs = c.root().path("inputs");
        JsonNode expected = c.root().path("expected");
        NDArray s = ParityCase.tensor(m, inputs, "logits_s", "inputs");
        NDArray t = ParityCase.tensor(m, inputs, "logits_t", "inputs");
        NDArray labels = ParityCase.tensor(m, inputs, "labels", "inputs");
        boolean standardize = c.params().path("logit_standardization").asBoolean(false);
        double warmUp = Math.min(c.param("epoch") / c.param("warmup_epochs"), 1.0);
        s.setRequiresGradient(true);
        try (GradientCollector gc = m.getEngine().newGradientCollector()) {
            DkdLoss.Terms terms = DkdLoss.compute(standardize ? LogitStandardization.apply(s) : s,
                    standardize ? LogitStandardization.apply(t) : t, labels, c.param("temperature"));
            NDArray loss = Scalars.mul(Scalars.mul(terms.tckd(), c.param("alpha")).add(Scalars.mul(terms.nckd(), c.param("beta"))),
                    warmUp);
            gc.backward(loss);
            cmp.loss("loss", loss.getFloat(), expected.path("loss").asDouble());
        }
        cmp.gradient("grad logits_s", s.getGradient(), ParityCase.tensor(m, expected.path("grad"), "logits_s", "expected.grad"));
    }
}
