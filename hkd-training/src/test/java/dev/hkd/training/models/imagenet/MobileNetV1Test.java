package dev.hkd.training.models.imagenet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.hkd.api.NetworkOutput;
import dev.hkd.training.train.Engines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * mdistiller's MobileNetV1 pools its last map with a fixed 7×7 average: it takes exactly the input
 * sizes whose last map is 7×7 (193 to 224 pixels a side) and refuses every other size in one line,
 * when it is initialised and when it is run.
 */
class MobileNetV1Test {

    @Test
    void theLastMapIsSevenBySevenFrom193To224Pixels() {
        assertEquals(7, MobileNetV1.lastMapSide(224));
        assertEquals(7, MobileNetV1.lastMapSide(193));
        assertEquals(6, MobileNetV1.lastMapSide(192));
        assertEquals(8, MobileNetV1.lastMapSide(225));
        assertEquals(2, MobileNetV1.lastMapSide(64));
    }

    @Test
    void runsOnTheSmallestSupportedSizeWithOnePooledVectorPerImage() {
        try (NDManager m = Engines.training().newBaseManager()) {
            MobileNetV1 net = new MobileNetV1(10);
            net.initialize(m, DataType.FLOAT32, new Shape(1, 3, 193, 200));
            NetworkOutput out =
                    net.forward(new ParameterStore(m, false), m.randomNormal(new Shape(3, 3, 193, 200)), true, true);
            assertEquals(new Shape(3, 10), out.logits().getShape());
            assertEquals(new Shape(3, 1024, 7, 7), out.features().get(3).getShape());
            assertEquals(new Shape(3, 1024), out.features().get(4).getShape());
        }
    }

    /** As a frozen teacher it frees each unit's intermediates early; what it computes is unchanged, bit for bit. */
    @Test
    void aFrozenNetworkComputesExactlyWhatItComputedBefore() {
        try (NDManager m = Engines.training().newBaseManager()) {
            Engines.seed(5);
            MobileNetV1 net = new MobileNetV1(1000);
            net.initialize(m, DataType.FLOAT32, new Shape(1, 3, 224, 224));
            NDArray images = m.randomNormal(new Shape(1, 3, 224, 224));
            ParameterStore ps = new ParameterStore(m, false);
            NetworkOutput before = net.forward(ps, images, false, true);
            net.freeze();
            NetworkOutput after = net.forward(ps, images, false, true);
            assertArrayEquals(before.logits().toFloatArray(), after.logits().toFloatArray());
            for (int i = 0; i < before.features().size(); i++) {
                assertArrayEquals(
                        before.features().get(i).toFloatArray(),
                        after.features().get(i).toFloatArray(),
                        "feature " + i);
                assertArrayEquals(
                        before.preActivationFeatures().get(i).toFloatArray(),
                        after.preActivationFeatures().get(i).toFloatArray(),
                        "pre-activation feature " + i);
            }
        }
    }

    @ParameterizedTest(name = "{0} pixels")
    @ValueSource(ints = {32, 64, 192, 225, 256, 448})
    void refusesOtherSizesInOneLine(int side) {
        try (NDManager m = Engines.training().newBaseManager()) {
            MobileNetV1 net = new MobileNetV1(1000);
            IllegalArgumentException atInit = assertThrows(
                    IllegalArgumentException.class,
                    () -> net.initialize(m, DataType.FLOAT32, new Shape(1, 3, side, side)));
            String message = atInit.getMessage();
            assertTrue(
                    message.contains(side + "x" + side)
                            && message.contains("193 to 224")
                            && message.contains("resnet18"),
                    message);
            assertFalse(message.contains("\n"));

            MobileNetV1 ready = new MobileNetV1(1000);
            ready.initialize(m, DataType.FLOAT32, new Shape(1, 3, 224, 224));
            IllegalArgumentException atRun = assertThrows(
                    IllegalArgumentException.class,
                    () -> ready.forward(
                            new ParameterStore(m, false), m.zeros(new Shape(1, 3, side, side)), false, false));
            assertEquals(message, atRun.getMessage());
        }
    }
}
