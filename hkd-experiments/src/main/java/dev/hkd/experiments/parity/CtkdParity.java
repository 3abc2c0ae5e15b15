package dev.hkd.experiments.parity;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hkd.api.ArrayCopy;
import dev.hkd.baselines.ctkd.CtkdDistiller;
import dev.hkd.testkit.parity.AbstractParityCheck;
import dev.hkd.testkit.parity.Comparison;
import dev.hkd.testkit.parity.ParityCase;
import dev.hkd.training.config.MethodConfig;
import dev.hkd.training.methods.MethodSet;
import java.util.Map;

/**
 * {@code ctkd} through the registered method at the case's epoch, its θ loaded from
 * {@code state.global_T}: λ from the schedule, τ, KD alone and the script's total, each with the
 * gradients of the student logits and of θ after the reversal (docs/methods.md#ctkd).
 */
public final class CtkdParity extends AbstractParityCheck {

    public CtkdParity() {
        super("ctkd");
    }

    @Override
    public void run(ParityCase c, NDManager m, Comparison cmp) {
        JsonNode p = c.params();
        JsonNode expected = c.root().path("expected");
        if (!p.path("cosine_decay").asBoolean(false)) {
            cmp.fail("params.cosine_decay: only the cosine schedule of CTKD's CIFAR script is implemented");
            return;
        }
        if (c.param("beta") != 0) {
            cmp.fail("params.beta " + c.param("beta") + ": a method term besides KD is not part of ctkd");
            return;
        }
        ObjectNode options = JsonNodeFactory.instance
                .objectNode()
                .put("t_start", c.param("t_start"))
                .put("t_end", c.param("t_end"))
                .put("decay_max", c.param("decay_max"))
                .put("decay_min", c.param("decay_min"))
                .put("decay_loops", (int) c.param("decay_loops"));
        MethodConfig config = new MethodConfig(
                "ctkd", Map.of("ce", c.param("gamma"), "ctkd", c.param("alpha")), Map.of("ctkd", options));
        int epoch = (int) c.param("epoch") - 1;
        DistillerCase run = new DistillerCase(
                c,
                m,
                config,
                epoch,
                methods -> ArrayCopy.into(
                        ParityCase.tensor(m, c.root().path("state"), "global_T", "state"),
                        distiller(methods)
                                .globalTemperature()
                                .getParameters()
                                .get("global_T")
                                .getArray()));

        DistillerCase.Pass kd = run.run(f -> f.method().terms().get("kd"));
        cmp.loss("lambda", distiller(kd.forward().methods()).reversalWeight(epoch), c.param("lambda"));
        cmp.loss(
                "temperature",
                DistillerCase.scalar(kd.forward().method().terms().get("temperature")),
                expected.path("temperature").asDouble());
        compare(cmp, m, kd, "loss", "", expected, "expected");

        DistillerCase.Pass total = run.run(f -> f.framework().total());
        compare(cmp, m, total, "total", "total ", expected.path("total"), "expected.total");
    }

    /**
     * A pass's loss (named {@code lossName}) and its gradients of the student logits and of θ,
     * against {@code loss} and {@code grad} of {@code expected} (at {@code where} in the case).
     */
    private static void compare(
            Comparison cmp,
            NDManager m,
            DistillerCase.Pass pass,
            String lossName,
            String prefix,
            JsonNode expected,
            String where) {
        cmp.loss(lossName, pass.value(), expected.path("loss").asDouble());
        JsonNode grad = expected.path("grad");
        cmp.gradient(
                prefix + "grad logits_s",
                pass.logitsGradient(),
                ParityCase.tensor(m, grad, "logits_s", where + ".grad"));
        cmp.gradient(
                prefix + "grad global_T",
                pass.parameterGradients().get("global_T"),
                ParityCase.tensor(m, grad, "global_T", where + ".grad"));
    }

    private static CtkdDistiller distiller(MethodSet methods) {
        return (CtkdDistiller) methods.components().get(0).distiller();
    }
}
