package dev.hkd.experiments.parity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import dev.hkd.losses.FspLoss;
import dev.hkd.losses.KdsvdLoss;
import dev.hkd.losses.NstLoss;
import dev.hkd.testkit.parity.AbstractParityCheck;
import dev.hkd.testkit.parity.Comparison;
import dev.hkd.testkit.parity.ParityCase;
import java.util.List;

/**
 * The parameter-free losses over lists of stage maps of {@code losses-more/}: {@code nst},
 * {@code kdsvd} (with the teacher's singular vectors, {@code expected.v_t}) and {@code fsp} — the
 * loss, each per-stage term and the gradient of every student map.
 */
public final class FeatureMapLossParity extends AbstractParityCheck {

    public FeatureMapLossParity() {
        super("nst", "kdsvd", "fsp");
    }

    @Override
    public void run(ParityCase c, NDManager m, Comparison cmp) {
        JsonNode expected = c.root().path("expected");
        List<NDArray> s = c.inputs(m, "feats_s", true);
        List<NDArray> t = c.inputs(m, "feats_t", false);
        if (c.method().equals("kdsvd")) {
            if (c.param("k") != 1) {
                throw new IllegalArgumentException(
                        c.file() + ": params.k = " + c.param("k") + "; KDSVD is implemented for k = 1 only");
            }
            List<NDArray> vt = ParityCase.tensors(m, expected.path("v_t"), "expected.v_t", false);
            for (int i = 0; i < t.size(); i++) {
                cmp.gradient("v_t[" + i + "]", KdsvdLoss.teacherVector(t.get(i)), vt.get(i));
            }
        }
        List<NDArray> stages;
        NDArray total;
        try (GradientCollector gc = m.getEngine().newGradientCollector()) {
            stages = switch (c.method()) {
                case "nst" -> NstLoss.perStage(s, t);
                case "kdsvd" -> KdsvdLoss.perStage(s, t);
                default -> FspLoss.perPair(s, t);
            };
            total = sum(stages);
            gc.backward(total);
        }
        compareLosses(cmp, total, stages, expected);
        for (int i = 0; i < s.size(); i++) {
            cmp.gradient(
                    "grad feats_s[" + i + "]",
                    ModuleParameters.gradient(s.get(i)),
                    ParityCase.tensor(
                            m, expected.path("grad").path("feats_s").get(i), "expected.grad.feats_s[" + i + "]"));
        }
    }

    /** {@code expected.loss} and, one by one, {@code expected.per_stage} (which must have as many entries). */
    static void compareLosses(Comparison cmp, NDArray total, List<NDArray> stages, JsonNode expected) {
        cmp.loss("loss", total.getFloat(), expected.path("loss").asDouble());
        JsonNode perStage = expected.path("per_stage");
        if (perStage.size() != stages.size()) {
            cmp.fail("per_stage: " + stages.size() + " terms here, " + perStage.size() + " in the reference");
            return;
        }
        for (int i = 0; i < stages.size(); i++) {
            cmp.loss(
                    "per_stage[" + i + "]",
                    stages.get(i).getFloat(),
                    perStage.get(i).asDouble());
        }
    }

    static NDArray sum(List<NDArray> terms) {
        NDArray total = terms.get(0);
        for (int i = 1; i < terms.size(); i++) {
            total = total.add(terms.get(i));
        }
        return total;
    }
}
