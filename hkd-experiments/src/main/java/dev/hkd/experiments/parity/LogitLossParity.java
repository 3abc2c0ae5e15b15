package dev.hkd.experiments.parity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.hkd.api.Scalars;
import dev.hkd.losses.DistLoss;
import dev.hkd.losses.DkdLoss;
import dev.hkd.losses.KdLoss;
import dev.hkd.losses.LogitStandardization;
import dev.hkd.testkit.parity.AbstractParityCheck;
import dev.hkd.testkit.parity.Comparison;
import dev.hkd.testkit.parity.ParityCase;

/**
 * The losses of the logits alone — {@code kd}, {@code dkd}, {@code dist} — and their gradient with
 * respect to the student logits. With {@code logit_standardization: true} both networks' logits are
 * standardised first; DKD's warm-up factor is {@code min(epoch / warmup_epochs, 1)} with the case's
 * epoch counted from 1.
 */
public final class LogitLossParity extends AbstractParityCheck {

    public LogitLossParity() {
        super("kd", "dkd", "dist");
    }

    @Override
    public void run(ParityCase c, NDManager m, Comparison cmp) {
        NDArray s = c.input(m, "logits_s", true);
        NDArray t = c.input(m, "logits_t", false);
        try (GradientCollector gc = m.getEngine().newGradientCollector()) {
            boolean standardize = c.params().path("logit_standardization").asBoolean(false);
            NDArray loss = loss(
                    c,
                    m,
                    standardize ? LogitStandardization.apply(s) : s,
                    standardize ? LogitStandardization.apply(t) : t);
            gc.backward(loss);
            cmp.loss(c, "loss", loss);
        }
        cmp.gradient(c, "logits_s", s);
    }

    private static NDArray loss(ParityCase c, NDManager m, NDArray s, NDArray t) {
        switch (c.method()) {
            case "kd":
                return KdLoss.compute(s, t, c.param("temperature"));
            case "dkd": {
                NDArray labels = c.input(m, "labels", false);
                DkdLoss.Terms terms = DkdLoss.compute(s, t, labels, c.param("temperature"));
                double warmUp = Math.min(c.param("epoch") / c.param("warmup_epochs"), 1.0);
                return Scalars.mul(
                        Scalars.mul(terms.tckd(), c.param("alpha")).add(Scalars.mul(terms.nckd(), c.param("beta"))),
                        warmUp);
            }
            case "dist": {
                DistLoss.Terms terms = DistLoss.compute(s, t, c.param("temperature"));
                return Scalars.mul(terms.inter(), c.param("beta")).add(Scalars.mul(terms.intra(), c.param("gamma")));
            }
            default:
                throw new IllegalArgumentException("not a logit loss: " + c.method());
        }
    }
}
