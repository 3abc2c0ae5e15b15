package dev.hkd.experiments.parity;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hkd.testkit.parity.AbstractParityCheck;
import dev.hkd.testkit.parity.Comparison;
import dev.hkd.testkit.parity.ParityCase;
import dev.hkd.training.config.MethodConfig;
import java.util.Map;

/**
 * {@code tfkd-reg} through the registered method, with no teacher at all: the reference's
 * {@code (1 − α)·CE + α·multiplier·KL} as the framework's weights make it, and its gradient
 * (docs/methods.md#tfkd-reg).
 */
public final class TfKdRegParity extends AbstractParityCheck {

    public TfKdRegParity() {
        super("tfkd-reg");
    }

    @Override
    public void run(ParityCase c, NDManager m, Comparison cmp) {
        double alpha = c.param("reg_alpha");
        ObjectNode options = JsonNodeFactory.instance
                .objectNode()
                .put("temperature", c.param("reg_temperature"))
                .put("correct_prob", c.param("correct_prob"))
                .put("multiplier", c.param("multiplier"));
        MethodConfig config =
                new MethodConfig("tfkd-reg", Map.of("ce", 1 - alpha, "tfkd-reg", alpha), Map.of("tfkd-reg", options));
        DistillerCase.Pass pass = new DistillerCase(c, m, config, 0, methods -> {})
                .run(f -> f.framework().total());
        cmp.loss("loss", pass.value(), c.expected("loss"));
        cmp.gradient("grad logits_s", pass.logitsGradient(), c.expectedGradient(m, "logits_s"));
    }
}
