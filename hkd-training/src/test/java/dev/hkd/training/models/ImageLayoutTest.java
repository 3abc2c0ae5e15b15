package dev.hkd.training.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.hkd.api.NetworkOutput;
import dev.hkd.training.models.nn.StateDict;
import dev.hkd.training.train.Engines;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The memory layout of a batch changes where its values sit, never what a network computes from them. */
class ImageLayoutTest {

    @Test
    void channelsLastKeepsTheShapeAndEveryValue() {
        try (NDManager m = Engines.training().newBaseManager()) {
            NDArray x = m.arange(2 * 3 * 4 * 5f).reshape(2, 3, 4, 5);
            NDArray cl = ImageLayout.CHANNELS_LAST.apply(x);
            assertEquals(new Shape(2, 3, 4, 5), cl.getShape());
            assertArrayEquals(x.toFloatArray(), cl.toFloatArray());
            assertArrayEquals(x.get("1, 2, 3").toFloatArray(), cl.get("1, 2, 3").toFloatArray());
        }
    }

    @Test
    void contiguousLeavesTheArrayAlone() {
        try (NDManager m = Engines.training().newBaseManager()) {
            NDArray x = m.ones(new Shape(1, 3, 2, 2));
            assertSame(x, ImageLayout.CONTIGUOUS.apply(x));
        }
    }

    static Stream<String> colourModels() {
        return ModelZoo.names().stream().filter(n -> ModelZoo.inputShape(n).get(1) == 3);
    }

    /**
     * The frozen teacher runs channels-last: every CIFAR and ImageNet model of the zoo, with random
     * weights and running statistics, gives the same eval-mode logits and features in both layouts,
     * to float32 rounding (1e-4 of the largest value): four 32×32 images for the CIFAR models, two
     * 64×64 ones for the ImageNet ResNets, two 224×224 ones for MobileNetV1.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("colourModels")
    void everyModelComputesTheSameInEvalModeInBothLayouts(String name) {
        try (NDManager m = Engines.training().newBaseManager()) {
            Engines.seed(3);
            Shape input = ModelZoo.inputShape(name);
            FeatureNetwork net = ModelZoo.create(name, ModelZoo.origin(name).classes());
            net.initialize(m, DataType.FLOAT32, input);
            for (Map.Entry<String, Parameter> e : StateDict.of(net).entrySet()) {
                NDArray a = e.getValue().getArray();
                if (e.getKey().endsWith("running_mean")) {
                    a.addi(m.randomUniform(-0.5f, 0.5f, a.getShape()));
                } else if (e.getKey().endsWith("running_var")) {
                    a.muli(m.randomUniform(0.5f, 2f, a.getShape()));
                }
            }
            // The ImageNet ResNets pool adaptively and are checked on 64×64 images (cheaper than 224×224);
            // MobileNetV1 takes 224×224 only.
            long side = name.equals("MobileNetV1") ? input.get(2) : Math.min(input.get(2), 64);
            NDArray images = m.randomNormal(new Shape(side > 32 ? 2 : 4, 3, side, side));
            ParameterStore ps = new ParameterStore(m, false);
            NetworkOutput contiguous = net.forward(ps, images, false, true);
            NetworkOutput channelsLast = net.forward(ps, ImageLayout.CHANNELS_LAST.apply(images), false, true);
            assertClose("logits", contiguous.logits(), channelsLast.logits());
            List<NDArray> a = contiguous.features();
            List<NDArray> b = channelsLast.features();
            assertEquals(a.size(), b.size());
            for (int i = 0; i < a.size(); i++) {
                assertClose("feature " + i, a.get(i), b.get(i));
            }
            for (int i = 0; i < contiguous.preActivationFeatures().size(); i++) {
                assertClose(
                        "pre-activation feature " + i,
                        contiguous.preActivationFeatures().get(i),
                        channelsLast.preActivationFeatures().get(i));
            }
        }
    }

    private static void assertClose(String what, NDArray expected, NDArray actual) {
        assertEquals(expected.getShape(), actual.getShape(), what);
        double scale = expected.abs().max().getFloat();
        double error = expected.sub(actual).abs().max().getFloat();
        assertTrue(error <= 1e-4 * scale, what + ": max error " + error + " > 1e-4 × " + scale);
    }
}
