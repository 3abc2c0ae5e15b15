package dev.hkd.experiments.parity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import dev.hkd.losses.RkdLoss;
import java.util.Set;

/** {@code rkd}: the weighted loss, each term, and the gradient with respect to the student features. */
public final class RkdParity implements ParityCheck {

    @Override
    public Set<String> methods() {
        return Set.of("rkd");
    }

    @Override
    public void run(ParityCase c, NDManager m, Comparison cmp) {
        JsonNode in = c.root().path("inputs");
        JsonNode expected = c.root().path("expected");
        NDArray s = ParityCase.tensor(m, in, "feat_s", "inputs");
        NDArray t = ParityCase.tensor(m, in, "feat_t", "inputs");
        s.setRequiresGradient(true);
        try (GradientCollector gc = m.getEngine().newGradientCollector()) {
            RkdLoss.Terms terms = RkdLoss.compute(s, t);
            NDArray loss = terms.weighted(c.param("distance_weight"), c.param("angle_weight"));
            gc.backward(loss);
            cmp.loss("loss", loss.getFloat(), expected.path("loss").asDouble());
            cmp.loss(
                    "distance_loss",
                    terms.distance().getFloat(),
                    expected.path("distance_loss").asDouble());
            cmp.loss(
                    "angle_loss",
                    terms.angle().getFloat(),
                    expected.path("angle_loss").asDouble());
        }
        cmp.gradient(
                "grad feat_s", s.getGradient(), ParityCase.tensor(m, expected.path("grad"), "feat_s", "expected.grad"));
    }
}
