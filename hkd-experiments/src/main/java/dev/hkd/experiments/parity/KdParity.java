package dev.hkd.experiments.parity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import dev.hkd.losses.KdLoss;
import dev.hkd.losses.LogitStandardization;
import java.util.Set;

/**
 * {@code kd}: the loss and its gradient with respect to the student logits; with
 * {@code logit_standardization: true} both networks' logits are standardised first.
 */
final class KdParity implements ParityCheck {

    @Override
    public Set<String> methods() {
        return Set.of("kd");
    }

    @Override
    public void run(ParityCase c, NDManager m, Comparison cmp) {
        JsonNode inputs = c.root().path("inputs");
        JsonNode expected = c.root().path("expected");
        NDArray s = ParityCase.tensor(m, inputs, "logits_s", "inputs");
        NDArray t = ParityCase.tensor(m, inputs, "logits_t", "inputs");
        s.setRequiresGradient(true);
        try (GradientCollector gc = m.getEngine().newGradientCollector()) {
            boolean standardize = c.params().path("logit_standardization").asBoolean(false);
            NDArray loss = KdLoss.compute(standardize ? LogitStandardization.apply(s) : s,
                    standardize ? LogitStandardization.apply(t) : t, c.param("temperature"));
            gc.backward(loss);
            cmp.loss("loss", loss.getFloat(), expected.path("loss").asDouble());
        }
        cmp.gradient("grad logits_s", s.getGradient(), ParityCase.tensor(m, expected.path("grad"), "logits_s", "expected.grad"));
    }
}
