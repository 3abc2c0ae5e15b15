package dev.hkd.training.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hkd.api.NetworkOutput;
import dev.hkd.training.models.nn.StateDict;
import dev.hkd.training.train.Engines;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every model of the reference zoos has the reference's parameter count, state dict (names and
 * shapes, BatchNorm statistics included) and feature shapes (the project's copies of the
 * manifests: RepDistiller's CIFAR zoo; torchvision's ImageNet ResNets and mdistiller's MobileNetV1).
 */
class ModelZooTest {

    /** The project's byte-identical copies of the reference manifests, kept with the other parity cases. */
    private static final Path CIFAR_MANIFEST =
            Path.of("../hkd-experiments/src/test/resources/parity/models/manifest.json");

    private static final Path IMAGENET_MANIFEST =
            Path.of("../hkd-experiments/src/test/resources/parity/models-imagenet/manifest.json");

    static JsonNode read(Path manifest) throws Exception {
        return new ObjectMapper().readTree(manifest.toFile());
    }

    static Stream<Arguments> referenceModels() throws Exception {
        List<Arguments> cases = new ArrayList<>();
        for (Path manifest : List.of(CIFAR_MANIFEST, IMAGENET_MANIFEST)) {
            read(manifest).fieldNames().forEachRemaining(n -> cases.add(Arguments.of(n, manifest)));
        }
        assertEquals(
                22 + 4, cases.size(), "the manifests list the 22 models of the CIFAR zoo and the 4 ImageNet models");
        return cases.stream();
    }

    private static Shape shape(JsonNode dims) {
        long[] d = new long[dims.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = dims.get(i).asLong();
        }
        return new Shape(d);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("referenceModels")
    void matchesTheReferenceManifest(String name, Path manifest) throws Exception {
        JsonNode entry = read(manifest).get(name);
        int classes = entry.get("logits_shape").get(0).asInt();
        // The CIFAR manifest is for 3×32×32 inputs throughout and says so only in its README.
        Shape input = entry.has("input_shape")
                ? new Shape(1).addAll(shape(entry.get("input_shape")))
                : new Shape(1, 3, 32, 32);
        assertEquals(input, ModelZoo.inputShape(name), "the zoo's input shape");
        assertEquals(classes, ModelZoo.origin(name).classes(), "the class count of the model's dataset");
        try (NDManager m = Engines.training().newBaseManager()) {
            FeatureNetwork net = ModelZoo.create(name, classes);
            net.initialize(m, DataType.FLOAT32, input);
            assertEquals(entry.get("parameters").asLong(), net.trainableParameterCount(), "parameter count");

            Map<String, Shape> ours = new LinkedHashMap<>();
            for (Map.Entry<String, Parameter> e : StateDict.of(net).entrySet()) {
                ours.put(e.getKey(), e.getValue().getArray().getShape());
            }
            Map<String, Shape> reference = new LinkedHashMap<>();
            for (JsonNode row : entry.get("state_dict")) {
                reference.put(row.get(0).asText(), shape(row.get(1)));
            }
            assertEquals(new TreeMap<>(reference), new TreeMap<>(ours), "state dict");

            NetworkOutput out = net.forward(new ParameterStore(m, false), m.zeros(input), false, true);
            List<Shape> features =
                    out.features().stream().map(f -> f.getShape().slice(1)).toList();
            List<Shape> expected = new ArrayList<>();
            for (JsonNode f : entry.get("feature_shapes")) {
                expected.add(shape(f));
            }
            assertEquals(expected, features, "feature shapes");
            List<Shape> pre = out.preActivationFeatures().stream()
                    .map(f -> f.getShape().slice(1))
                    .toList();
            assertEquals(features, pre, "one pre-activation feature of the same shape per feature");
            assertEquals(new Shape(1, classes), out.logits().getShape());
            assertTrue(ModelZoo.names().contains(name));

            // The classifier (the last child, which RepDistiller's init stage leaves out) maps the pooled vector to the
            // logits.
            List<Shape> classifier = net.classifier().getParameters().values().stream()
                    .map(p -> p.getArray().getShape())
                    .toList();
            assertEquals(
                    List.of(new Shape(classes, features.get(features.size() - 1).get(0)), new Shape(classes)),
                    classifier,
                    "classifier");
            // OFD's margins: where a model names its BatchNorm before each stage's ReLU, one per stage, of the stage's
            // width.
            List<Long> widths = net.batchNormsBeforeActivation().stream()
                    .map(bn -> bn.gamma().getArray().getShape().get(0))
                    .toList();
            if (!widths.isEmpty()) {
                assertEquals(
                        features.subList(1, features.size() - 1).stream()
                                .map(f -> f.get(0))
                                .toList(),
                        widths,
                        "BatchNorms before ReLU");
            }
        }
    }

    static Stream<String> everyModel() {
        return ModelZoo.names().stream();
    }

    /**
     * Tiny-ImageNet's 64×64 images: every model with adaptive global pooling runs on them and gives
     * one row of logits per image, for 200 classes; MobileNetV1, which pools by a
     * fixed 7×7, refuses them in one line.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("everyModel")
    void runsOnTinyImagenetSizedImages(String name) {
        long channels = ModelZoo.inputShape(name).get(1);
        Shape input = new Shape(2, channels, 64, 64);
        try (NDManager m = Engines.training().newBaseManager()) {
            FeatureNetwork net = ModelZoo.create(name, 200);
            if (name.equals("MobileNetV1")) {
                IllegalArgumentException e =
                        assertThrows(IllegalArgumentException.class, () -> net.initialize(m, DataType.FLOAT32, input));
                assertTrue(e.getMessage().contains("64x64") && e.getMessage().contains("224x224"), e.getMessage());
                assertFalse(e.getMessage().contains("\n"));
                return;
            }
            net.initialize(m, DataType.FLOAT32, input);
            ParameterStore ps = new ParameterStore(m, false);
            NetworkOutput out = net.forward(ps, m.randomNormal(input), false, true);
            assertEquals(new Shape(2, 200), out.logits().getShape(), "logits");
            for (float v : out.logits().toFloatArray()) {
                assertTrue(Float.isFinite(v), "finite logits");
            }
            Shape pooled = out.features().get(out.features().size() - 1).getShape();
            assertEquals(2, pooled.dimension(), "the last feature is the pooled vector");
            assertEquals(out.features().size(), out.preActivationFeatures().size());
        }
    }

    @Test
    void nearMissIdsGetASuggestion() {
        assertEquals("unknown model 'Resnet18'; did you mean 'resnet18'?", ModelZoo.unknownModelMessage("Resnet18"));
        assertEquals("unknown model 'resnet81'; did you mean 'resnet8'?", ModelZoo.unknownModelMessage("resnet81"));
        assertEquals(
                "unknown model 'mobilenetv1'; did you mean 'MobileNetV1'?",
                ModelZoo.unknownModelMessage("mobilenetv1"));
        assertEquals("unknown model 'wrn_16-2'; did you mean 'wrn_16_2'?", ModelZoo.unknownModelMessage("wrn_16-2"));
        // The two ResNet50s differ only in case: a third spelling is told both, and which is which.
        assertEquals(
                "unknown model 'Resnet50'; did you mean 'ResNet50' (CIFAR, RepDistiller) or 'resnet50' (ImageNet, torchvision)?",
                ModelZoo.unknownModelMessage("Resnet50"));
        // Three edits from resnet20 is no near miss.
        assertTrue(
                ModelZoo.unknownModelMessage("resnet9000").contains("; known: "),
                ModelZoo.unknownModelMessage("resnet9000"));
        String far = ModelZoo.unknownModelMessage("inception_v3");
        assertTrue(
                far.startsWith("unknown model 'inception_v3'; known: resnet8, ") && far.contains("MobileNetV1"), far);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> ModelZoo.create("ResNet18", 10));
        assertEquals("unknown model 'ResNet18'; did you mean 'resnet18'?", e.getMessage());
    }

    @Test
    void theTwoResNet50sAreDifferentModels() {
        assertEquals(ModelZoo.Origin.CIFAR, ModelZoo.origin("ResNet50"));
        assertEquals(ModelZoo.Origin.IMAGENET_TORCHVISION, ModelZoo.origin("resnet50"));
        assertEquals("ResNet50", ModelZoo.create("ResNet50", 100).modelName());
        assertEquals("resnet50", ModelZoo.create("resnet50", 100).modelName());
    }
}
