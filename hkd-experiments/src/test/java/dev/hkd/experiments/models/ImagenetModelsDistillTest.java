package dev.hkd.experiments.models;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.hkd.api.DistillerProvider;
import dev.hkd.training.config.ConfigLoader;
import dev.hkd.training.config.MethodConfig;
import dev.hkd.training.config.OptimizerConfig;
import dev.hkd.training.data.Augmentation;
import dev.hkd.training.data.ImageSet;
import dev.hkd.training.methods.DistillerRegistry;
import dev.hkd.training.methods.MethodSet;
import dev.hkd.training.models.FeatureNetwork;
import dev.hkd.training.models.ModelZoo;
import dev.hkd.training.train.ContrastSampler;
import dev.hkd.training.train.Engines;
import dev.hkd.training.train.Networks;
import dev.hkd.training.train.StepAssembly;
import dev.hkd.training.train.TrainingBatches;
import dev.hkd.training.train.TrainingStep;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The ImageNet models' feature taps follow the zoo's contract, so every registered distiller
 * prepares itself from their shapes and trains a step with finite losses: a bottleneck teacher
 * (resnet50, 2048-channel taps) with a BasicBlock student (resnet18) on Tiny-ImageNet-sized
 * 64×64 images, and a resnet18 teacher with a MobileNetV1 student (no stem tap) on 224×224.
 */
class ImagenetModelsDistillTest {

    /**
     * Methods whose reference requires matching architectures (AB: as many stages; FSP, KDSVD: equal
     * widths; OFD: a teacher that names its BatchNorm before each stage's ReLU). Where a pair does not
     * match, they refuse in one line instead of training.
     */
    private static final java.util.Set<String> NEED_MATCHING_PAIRS = java.util.Set.of("ab", "fsp", "kdsvd", "ofd");

    private static final int CLASSES = 4;
    private static final int IMAGES = 16;
    private static final int BATCH = 4;

    static Stream<Arguments> methodsAndPairs() {
        return DistillerRegistry.fromClasspath().providers().stream()
                .map(DistillerProvider::id)
                .sorted()
                .flatMap(id -> Stream.of(
                        Arguments.of(id, "resnet50", "resnet18", 64),
                        Arguments.of(id, "resnet18", "MobileNetV1", 224)));
    }

    @ParameterizedTest(name = "{0}: {1} -> {2} at {3}x{3}")
    @MethodSource("methodsAndPairs")
    void everyDistillerTrainsAStepOnTheImagenetModels(String id, String teacherName, String studentName, int side) {
        byte[] pixels = new byte[IMAGES * 3 * side * side];
        new SplittableRandom(7).nextBytes(pixels);
        int[] labels = new int[IMAGES];
        for (int i = 0; i < IMAGES; i++) {
            labels[i] = i % CLASSES;
        }
        ImageSet train = new ImageSet(
                "random", 3, side, side, pixels, labels, CLASSES, new float[] {0.485f, 0.456f, 0.406f}, new float[] {
                    0.229f, 0.224f, 0.225f
                });
        try (NDManager m = Engines.training().newBaseManager()) {
            Engines.seed(1);
            Shape input = new Shape(1, 3, side, side);
            FeatureNetwork teacher = ModelZoo.create(teacherName, CLASSES);
            teacher.initialize(m, DataType.FLOAT32, input);
            teacher.freeze();
            FeatureNetwork student = ModelZoo.create(studentName, CLASSES);
            student.initialize(m, DataType.FLOAT32, input);
            MethodSet method = MethodSet.build(smallBanks(id), DistillerRegistry.fromClasspath(), null);
            try (NDManager s = m.newSubManager()) {
                StepAssembly.prepare(
                        method,
                        m,
                        student,
                        teacher,
                        train.images(s, new int[] {0, 1}, Augmentation.NONE, null),
                        CLASSES,
                        IMAGES);
            } catch (IllegalArgumentException refusal) {
                if (!NEED_MATCHING_PAIRS.contains(id)) {
                    throw refusal;
                }
                String message = refusal.getMessage();
                assertTrue(message.lines().count() == 1 && message.contains(id), message);
                return;
            }
            ContrastSampler sampler = ContrastSampler.forMethod(method.dataNeeds(), train.labels(), CLASSES);
            TrainingStep.Parts parts = new TrainingStep.Parts(
                    new Networks(student, teacher), method, TrainingBatches.of(train, Augmentation.NONE), 1, sampler);
            TrainingStep step = StepAssembly.assemble(m, parts, new OptimizerConfig(0.01, 0.9, 5e-4, false))
                    .step();
            int[] batch = new int[BATCH];
            for (int i = 0; i < BATCH; i++) {
                batch[i] = i * (IMAGES / BATCH) + i % CLASSES; // one image of each class
            }
            TrainingStep.Outcome outcome = step.run(batch, 0, 0, 0.01);
            assertFalse(outcome.losses().isEmpty(), id);
            outcome.losses()
                    .forEach((term, value) -> assertTrue(Double.isFinite(value), id + ": " + term + " = " + value));
        }
    }

    /** The method with K = 8 negatives wherever it keeps a memory bank: the data here has 16 images. */
    private static MethodConfig smallBanks(String id) {
        Map<String, JsonNode> options = new LinkedHashMap<>();
        JsonNode defaults = ConfigLoader.mapper()
                .valueToTree(DistillerRegistry.fromClasspath().get(id).defaultConfig());
        if (defaults.has("nce_k")) {
            options.put(id, JsonNodeFactory.instance.objectNode().put("nce_k", 8));
        }
        return new MethodConfig(id, null, options);
    }
}
