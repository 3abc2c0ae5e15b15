package dev.hkd.experiments.parity;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hkd.testkit.parity.AbstractParityCheck;
import dev.hkd.testkit.parity.Comparison;
import dev.hkd.testkit.parity.ParityCase;
import dev.hkd.training.config.MethodConfig;
import java.util.Map;

/** {@code nkd} through the registered method at its reference weight: the loss and its gradient (docs/methods.md#nkd). */
public final class NkdParity extends AbstractParityCheck {

    public NkdParity() {
        super("nkd");
    }

    @Override
    public void run(ParityCase c, NDManager m, Comparison cmp) {
        ObjectNode options = JsonNodeFactory.instance
                .objectNode()
                .put("temperature", c.param("temperature"))
                .put("gamma", c.param("gamma"));
        MethodConfig config = new MethodConfig("nkd", Map.of(), Map.of("nkd", options));
        DistillerCase.Pass pass =
                new DistillerCase(c, m, config, 0, methods -> {}).run(DistillerCase.Forward::methodTotal);
        cmp.loss("loss", pass.value(), c.expected("loss"));
        cmp.gradient("grad logits_s", pass.logitsGradient(), c.expectedGradient(m, "logits_s"));
    }
}
