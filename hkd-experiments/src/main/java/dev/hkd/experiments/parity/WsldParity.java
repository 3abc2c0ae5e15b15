package dev.hkd.experiments.parity;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hkd.testkit.parity.AbstractParityCheck;
import dev.hkd.testkit.parity.Comparison;
import dev.hkd.testkit.parity.ParityCase;
import dev.hkd.training.config.MethodConfig;
import java.util.Map;

/**
 * {@code wsld} through the registered method: the total the reference returns (CE at the
 * provider's γ plus α times the soft term), its two parts, and the gradients of the total and of
 * the weighted soft term alone (docs/methods.md#wsld).
 */
public final class WsldParity extends AbstractParityCheck {

    public WsldParity() {
        super("wsld");
    }

    @Override
    public void run(ParityCase c, NDManager m, Comparison cmp) {
        JsonNode expected = c.root().path("expected");
        long classes =
                c.root().path("inputs").path("logits_s").path("shape").path(1).asLong();
        if (c.param("num_classes") != classes) {
            cmp.fail("params.num_classes " + c.param("num_classes")
                    + ": the reference's one-hot width must be the logits' width " + classes);
            return;
        }
        ObjectNode options = JsonNodeFactory.instance.objectNode().put("temperature", c.param("temperature"));
        MethodConfig config = new MethodConfig("wsld", Map.of("wsld", c.param("alpha")), Map.of("wsld", options));
        DistillerCase run = new DistillerCase(c, m, config, 0, methods -> {});

        DistillerCase.Pass total = run.run(f -> f.framework().total());
        cmp.loss("loss", total.value(), expected.path("loss").asDouble());
        cmp.loss(
                "hard_loss",
                DistillerCase.scalar(total.forward().framework().terms().get("ce")),
                expected.path("hard_loss").asDouble());
        cmp.loss(
                "soft_loss_weighted",
                DistillerCase.scalar(total.forward().methodTotal()),
                expected.path("soft_loss_weighted").asDouble());
        cmp.gradient("grad logits_s", total.logitsGradient(), c.expectedGradient(m, "logits_s"));

        DistillerCase.Pass soft = run.run(DistillerCase.Forward::methodTotal);
        cmp.gradient(
                "grad_soft logits_s",
                soft.logitsGradient(),
                ParityCase.tensor(m, expected.path("grad_soft"), "logits_s", "expected.grad_soft"));
    }
}
