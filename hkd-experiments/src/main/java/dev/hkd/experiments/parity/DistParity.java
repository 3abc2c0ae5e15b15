package dev.hkd.experiments.parity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import dev.hkd.api.Scalars;
import dev.hkd.losses.DistLoss;
import java.util.Set;

/** {@code dist}: {@code τ² · (β · inter + γ · intra)}; the loss and its gradient with respect to the student logits. */
final class DistParity implements ParityCheck {

    @Override
    public Set<String> methods() {
        return Set.of("dist");
    }

    @Override
    public void run(ParityCase c, NDManager m, Comparison cmp) {
        JsonNode inputs = c.root().path("inputs");
        JsonNode expected = c.root().path("expected");
        NDArray s = ParityCase.tensor(m, inputs, "logits_s", "inputs");
        NDArray t = ParityCase.tensor(m, inputs, "logits_t", "inputs");
        s.setRequiresGradient(true);
        try (GradientCollector gc = m.getEngine().newGradientCollector()) {
            DistLoss.Terms terms = DistLoss.compute(s, t, c.param("temperature"));
            NDArray loss = Scalars.mul(terms.inter(), c.param("beta")).add(Scalars.mul(terms.intra(), c.param("gamma")));
            gc.backward(loss);
            cmp.loss("loss", loss.getFloat(), expected.path("loss").asDouble());
        }
        cmp.gradient("grad logits_s", s.getGradient(), ParityCase.tensor(m, expected.path("grad"), "logits_s", "expected.grad"));
    }
}
