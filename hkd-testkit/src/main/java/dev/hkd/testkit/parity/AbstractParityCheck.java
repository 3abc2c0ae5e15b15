package dev.hkd.testkit.parity;

import java.util.Set;

/**
 * A {@link ParityCheck} that names its methods once, in its constructor: the one way the checks
 * of this project are written, as {@code AbstractDistillerProvider} is for methods.
 *
 * <pre>{@code
 * public final class MyLossParity extends AbstractParityCheck {
 *     public MyLossParity() {
 *         super("my-loss");
 *     }
 *
 *     public void run(ParityCase c, NDManager m, Comparison cmp) {
 *         NDArray s = c.input(m, "logits_s", true);
 *         try (GradientCollector gc = m.getEngine().newGradientCollector()) {
 *             NDArray loss = MyLoss.compute(s, c.input(m, "logits_t", false));
 *             gc.backward(loss);
 *             cmp.loss(c, "loss", loss);
 *         }
 *         cmp.gradient(c, "logits_s", s);
 *     }
 * }
 * }</pre>
 */
public abstract class AbstractParityCheck implements ParityCheck {

    private final Set<String> methods;

    protected AbstractParityCheck(String... methods) {
        this.methods = Set.of(methods);
    }

    @Override
    public final Set<String> methods() {
        return methods;
    }
}
