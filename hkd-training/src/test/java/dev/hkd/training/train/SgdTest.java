package dev.hkd.training.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import dev.hkd.api.Scalars;
import dev.hkd.testkit.PlainSgd;
import dev.hkd.training.config.OptimizerConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SGD follows PyTorch's rule, which the reference trains with (docs/methods.md#recipe). */
class SgdTest {

    /** A trained weight {@code w} holding {@code values}. */
    private static Parameter weight(NDManager m, float... values) {
        Parameter p =
                Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).build();
        p.setArray(m.create(values));
        p.getArray().setRequiresGradient(true);
        return p;
    }

    /** Two steps on loss = Σ w² · c, computed by hand with PyTorch's formulas. */
    private static float[] twoSteps(boolean nesterov) {
        try (NDManager m = Engines.training().newBaseManager()) {
            Parameter p = weight(m, 1f, -2f);
            Sgd sgd = new Sgd(Map.of("w", p), new OptimizerConfig(0.1, 0.9, 0.01, nesterov), m);
            for (int i = 0; i < 2; i++) {
                try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                    NDArray w = p.getArray();
                    gc.backward(w.square().sum().mul(3f));
                }
                sgd.step(0.1);
            }
            return p.getArray().toFloatArray();
        }
    }

    private static float[] expected(boolean nesterov) {
        double[] w = {1, -2};
        double[] buf = {0, 0};
        for (int step = 0; step < 2; step++) {
            for (int i = 0; i < 2; i++) {
                double g = 6 * w[i] + 0.01 * w[i];
                buf[i] = step == 0 ? g : 0.9 * buf[i] + g;
                w[i] -= 0.1 * (nesterov ? g + 0.9 * buf[i] : buf[i]);
            }
        }
        return new float[] {(float) w[0], (float) w[1]};
    }

    @Test
    void momentumAndWeightDecayFollowPyTorch() {
        assertArrayEquals(expected(false), twoSteps(false), 1e-6f);
    }

    @Test
    void nesterovFollowsPyTorch() {
        assertArrayEquals(expected(true), twoSteps(true), 1e-6f);
    }

    /** The test kit trains distillers with its own plain SGD; it must be this one at momentum 0 and weight decay 0. */
    @Test
    void theTestKitsPlainSgdIsThisSgdWithoutMomentumOrWeightDecay() {
        float[] ours = plainSteps(true);
        float[] kit = plainSteps(false);
        assertArrayEquals(ours, kit, 0f);
        assertNotEquals(1f, ours[0], "the steps moved the weight");
    }

    private static float[] plainSteps(boolean framework) {
        try (NDManager m = Engines.training().newBaseManager()) {
            Parameter p = weight(m, 1f, -2f, 0.3f);
            Sgd sgd = new Sgd(Map.of("w", p), new OptimizerConfig(0.07, 0.0, 0.0, false), m);
            for (int i = 0; i < 3; i++) {
                try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                    NDArray w = p.getArray();
                    gc.backward(w.pow(Scalars.of(w, 3)).sum());
                }
                if (framework) {
                    sgd.step(0.07);
                } else {
                    PlainSgd.step(List.of(p), 0.07);
                }
            }
            return p.getArray().toFloatArray();
        }
    }
}
