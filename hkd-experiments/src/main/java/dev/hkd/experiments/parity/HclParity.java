package dev.hkd.experiments.parity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import dev.hkd.losses.HclLoss;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** {@code reviewkd-hcl}: the loss and the gradient of every student level. */
public final class HclParity implements ParityCheck {

    @Override
    public Set<String> methods() {
        return Set.of("reviewkd-hcl");
    }

    @Override
    public void run(ParityCase c, NDManager m, Comparison cmp) {
        JsonNode in = c.root().path("inputs");
        List<NDArray> student = new ArrayList<>();
        List<NDArray> teacher = new ArrayList<>();
        for (JsonNode t : in.path("feats_s")) {
            NDArray s = ParityCase.tensor(m, t, "feats_s");
            s.setRequiresGradient(true);
            student.add(s);
        }
        for (JsonNode t : in.path("feats_t")) {
            teacher.add(ParityCase.tensor(m, t, "feats_t"));
        }
        try (GradientCollector gc = m.getEngine().newGradientCollector()) {
            NDArray loss = HclLoss.compute(student, teacher);
            gc.backward(loss);
            cmp.loss(
                    "loss",
                    loss.getFloat(),
                    c.root().path("expected").path("loss").asDouble());
        }
        JsonNode grads = c.root().path("expected").path("grad").path("feats_s");
        for (int i = 0; i < student.size(); i++) {
            cmp.gradient(
                    "grad feats_s[" + i + "]",
                    student.get(i).getGradient(),
                    ParityCase.tensor(m, grads.get(i), "grad"));
        }
    }
}
