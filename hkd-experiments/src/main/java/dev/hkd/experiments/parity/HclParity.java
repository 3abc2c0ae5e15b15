package dev.hkd.experiments.parity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.hkd.losses.HclLoss;
import dev.hkd.testkit.parity.AbstractParityCheck;
import dev.hkd.testkit.parity.Comparison;
import dev.hkd.testkit.parity.ParityCase;
import java.util.List;

/** {@code reviewkd-hcl}: the loss and the gradient of every student level. */
public final class HclParity extends AbstractParityCheck {

    public HclParity() {
        super("reviewkd-hcl");
    }

    @Override
    public void run(ParityCase c, NDManager m, Comparison cmp) {
        List<NDArray> student = c.inputs(m, "feats_s", true);
        List<NDArray> teacher = c.inputs(m, "feats_t", false);
        try (GradientCollector gc = m.getEngine().newGradientCollector()) {
            NDArray loss = HclLoss.compute(student, teacher);
            gc.backward(loss);
            cmp.loss(c, "loss", loss);
        }
        cmp.gradients(c, "feats_s", student);
    }
}
