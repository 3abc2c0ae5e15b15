package dev.hkd.testkit;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import dev.hkd.api.Scalars;

/**
 * The update {@link DistillerHarness} trains with: {@code w ← w − lr·∇}, then the gradient is
 * zeroed. It is the framework's SGD at momentum 0 and weight decay 0, which a test of the training
 * module holds equal to it bit for bit; the test kit carries its own copy so that a plugin's tests
 * need only the API.
 *
 * <pre>{@code
 * PlainSgd.step(List.of(weight), 0.1);
 * }</pre>
 */
public final class PlainSgd {

    private PlainSgd() {}

    /** One update of every parameter; outside gradient recording. */
    public static void step(Iterable<Parameter> parameters, double learningRate) {
        float lr = (float) learningRate;
        for (Parameter p : parameters) {
            NDArray w = p.getArray();
            NDArray g = w.getGradient();
            w.subi(Scalars.mul(g, lr));
            g.subi(g);
        }
    }
}
