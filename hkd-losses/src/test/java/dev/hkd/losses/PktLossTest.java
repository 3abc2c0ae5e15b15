package dev.hkd.losses;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

class PktLossTest {

    @Test
    void anAllZeroStudentRowGetsAFiniteGradient() {
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            Engine.getEngine("PyTorch").setRandomSeed(1);
            NDArray s = m.randomNormal(new Shape(6, 8)).maximum(0f);
            s.set(new ai.djl.ndarray.index.NDIndex("2"), 0f);
            s.setRequiresGradient(true);
            NDArray t = m.randomNormal(new Shape(6, 5));
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                NDArray loss = PktLoss.compute(s, t, 1e-7);
                assertTrue(Float.isFinite(loss.getFloat()));
                gc.backward(loss);
            }
            for (float g : s.getGradient().toFloatArray()) {
                assertTrue(Float.isFinite(g), "a NaN or infinite gradient");
            }
        }
    }
}
