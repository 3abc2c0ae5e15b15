package dev.hkd.losses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/** The reversal layer is exactly the identity forward and multiplies the gradient by λ, sign included. */
class GradientReversalTest {

    @Test
    void forwardIsExactlyTheInputAndBackwardIsLambdaTimesTheGradient() {
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            float[] values = {0.1f, -3.7f, 12.345678f, 1e-8f};
            for (double lambda : new double[] {-0.3454915028125263, -1.0, 0.0, 0.5}) {
                NDArray x = m.create(values);
                x.setRequiresGradient(true);
                NDArray y;
                try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                    y = GradientReversal.apply(x, lambda);
                    // d/dx Σ y² through the layer: λ · 2y.
                    gc.backward(y.square().sum());
                }
                assertArrayEquals(values, y.toFloatArray(), 0f, "identity forward at λ " + lambda);
                float[] grad = x.getGradient().toFloatArray();
                for (int i = 0; i < values.length; i++) {
                    assertEquals(
                            lambda * 2 * values[i],
                            grad[i],
                            1e-6 * Math.max(1, Math.abs(values[i])),
                            "gradient at λ " + lambda);
                }
            }
        }
    }
}
