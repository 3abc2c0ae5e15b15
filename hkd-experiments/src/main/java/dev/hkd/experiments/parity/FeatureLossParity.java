package dev.hkd.experiments.parity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import dev.hkd.losses.AtLoss;
import dev.hkd.losses.PktLoss;
import dev.hkd.losses.SpLoss;
import dev.hkd.testkit.parity.AbstractParityCheck;
import dev.hkd.testkit.parity.Comparison;
import dev.hkd.testkit.parity.ParityCase;
import java.util.List;

/** The parameter-free feature losses {@code at}, {@code pkt}, {@code sp}: loss (and AT's per-stage terms) and gradients. */
public final class FeatureLossParity extends AbstractParityCheck {

    public FeatureLossParity() {
        super("at", "pkt", "sp");
    }

    @Override
    public void run(ParityCase c, NDManager m, Comparison cmp) {
        if (c.method().equals("at")) {
            JsonNode expected = c.root().path("expected");
            List<NDArray> s = c.inputs(m, "feats_s", true);
            List<NDArray> t = c.inputs(m, "feats_t", false);
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                List<NDArray> stages = AtLoss.perStage(s, t, (int) c.param("p"));
                NDArray total = stages.get(0);
                for (int i = 1; i < stages.size(); i++) {
                    total = total.add(stages.get(i));
                }
                gc.backward(total);
                cmp.loss(c, "loss", total);
                for (int i = 0; i < stages.size(); i++) {
                    cmp.loss(
                            "per_stage[" + i + "]",
                            stages.get(i).getFloat(),
                            expected.path("per_stage").get(i).asDouble());
                }
            }
            cmp.gradients(c, "feats_s", s);
            return;
        }
        NDArray s = c.input(m, "feat_s", true);
        NDArray t = c.input(m, "feat_t", false);
        try (GradientCollector gc = m.getEngine().newGradientCollector()) {
            NDArray loss = c.method().equals("pkt") ? PktLoss.compute(s, t, c.param("eps")) : SpLoss.compute(s, t);
            gc.backward(loss);
            cmp.loss(c, "loss", loss);
        }
        cmp.gradient(c, "feat_s", s);
    }
}
