package dev.hkd.experiments.parity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.hkd.losses.RkdLoss;
import dev.hkd.testkit.parity.AbstractParityCheck;
import dev.hkd.testkit.parity.Comparison;
import dev.hkd.testkit.parity.ParityCase;

/** {@code rkd}: the weighted loss, each term, and the gradient with respect to the student features. */
public final class RkdParity extends AbstractParityCheck {

    public RkdParity() {
        super("rkd");
    }

    @Override
    public void run(ParityCase c, NDManager m, Comparison cmp) {
        NDArray s = c.input(m, "feat_s", true);
        NDArray t = c.input(m, "feat_t", false);
        try (GradientCollector gc = m.getEngine().newGradientCollector()) {
            RkdLoss.Terms terms = RkdLoss.compute(s, t);
            NDArray loss = terms.weighted(c.param("distance_weight"), c.param("angle_weight"));
            gc.backward(loss);
            cmp.loss(c, "loss", loss);
            cmp.loss(c, "distance_loss", terms.distance());
            cmp.loss(c, "angle_loss", terms.angle());
        }
        cmp.gradient(c, "feat_s", s);
    }
}
