package dev.hkd.savedmodel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/**
 * DJL's TensorFlow engine loads offline from the TensorFlow 2.16.1 natives the build unpacks
 * (TENSORFLOW_LIBRARY_PATH), and its arrays cross into the PyTorch engine.
 */
class TensorFlowEngineTest {

    @Test
    void runsAMatrixProductAndHandsTheResultToPyTorch() {
        Engine tf = Engine.getEngine("TensorFlow");
        assertEquals("TensorFlow", tf.getEngineName());
        try (NDManager m = tf.newBaseManager();
                NDManager pt = Engine.getEngine("PyTorch").newBaseManager()) {
            NDArray a = m.create(new float[] {1, 2, 3, 4}, new Shape(2, 2));
            NDArray product = a.matMul(a);
            assertArrayEquals(new float[] {7, 10, 15, 22}, product.toFloatArray());
            NDArray moved = pt.from(product);
            assertEquals("PyTorch", moved.getManager().getEngine().getEngineName());
            assertArrayEquals(new float[] {14, 20, 30, 44}, moved.mul(2f).toFloatArray());
        }
    }
}
