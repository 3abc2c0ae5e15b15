package dev.hkd.experiments.parity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import dev.hkd.losses.AtLoss;
import dev.hkd.losses.PktLoss;
import dev.hkd.losses.SpLoss;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The parameter-free feature losses {@code at}, {@code pkt}, {@code sp}: loss (and AT's per-stage terms) and gradients. */
public final class FeatureLossParity implements ParityCheck {

    @Override
    public Set<String> methods() {
        return Set.of("at", "pkt", "sp");
    }

    @Override
    public void run(ParityCase c, NDManager m, Comparison cmp) {
        JsonNode in = c.root().path("inputs");
        JsonNode expected = c.root().path("expected");
        JsonNode grads = expected.path("grad");
        if (c.method().equals("at")) {
            List<NDArray> s = list(m, in.path("feats_s"), true);
            List<NDArray> t = list(m, in.path("feats_t"), false);
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                List<NDArray> stages = AtLoss.perStage(s, t, (int) c.param("p"));
                NDArray total = stages.get(0);
                for (int i = 1; i < stages.size(); i++) {
                    total = total.add(stages.get(i));
                }
                gc.backward(total);
                cmp.loss("loss", total.getFloat(), expected.path("loss").asDouble());
                for (int i = 0; i < stages.size(); i++) {
                    cmp.loss(
                            "per_stage[" + i + "]",
                            stages.get(i).getFloat(),
                            expected.path("per_stage").get(i).asDouble());
                }
            }
            for (int i = 0; i < s.size(); i++) {
                cmp.gradient(
                        "grad feats_s[" + i + "]",
                        s.get(i).getGradient(),
                        ParityCase.tensor(m, grads.path("feats_s").get(i), "grad"));
            }
            return;
        }
        NDArray s = ParityCase.tensor(m, in, "feat_s", "inputs");
        NDArray t = ParityCase.tensor(m, in, "feat_t", "inputs");
        s.setRequiresGradient(true);
        try (GradientCollector gc = m.getEngine().newGradientCollector()) {
            NDArray loss = c.method().equals("pkt") ? PktLoss.compute(s, t, c.param("eps")) : SpLoss.compute(s, t);
            gc.backward(loss);
            cmp.loss("loss", loss.getFloat(), expected.path("loss").asDouble());
        }
        cmp.gradient("grad feat_s", s.getGradient(), ParityCase.tensor(m, grads, "feat_s", "expected.grad"));
    }

    private static List<NDArray> list(NDManager m, JsonNode tensors, boolean grad) {
        List<NDArray> out = new ArrayList<>();
        for (JsonNode t : tensors) {
            NDArray a = ParityCase.tensor(m, t, "tensor");
            if (grad) {
                a.setRequiresGradient(true);
            }
            out.add(a);
        }
        return out;
    }
}
