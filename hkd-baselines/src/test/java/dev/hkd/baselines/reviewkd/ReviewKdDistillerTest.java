package dev.hkd.baselines.reviewkd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.hkd.api.DistillationStep;
import dev.hkd.api.DistillerSetup;
import dev.hkd.api.LossTerms;
import dev.hkd.api.NetworkOutput;
import dev.hkd.api.StepBatch;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ABF modules derived from feature shapes reproduce ReviewKD's per-pair tables (docs/methods.md#reviewkd). */
class ReviewKdDistillerTest {

    // Per-sample feature shapes [stem, stages…, pooled] of the reference models.
    static final List<Shape> RESNET8X4 = List.of(
            new Shape(32, 32, 32), new Shape(64, 32, 32), new Shape(128, 16, 16), new Shape(256, 8, 8), new Shape(256));
    static final List<Shape> RESNET32X4 = RESNET8X4;
    static final List<Shape> SHUFFLEV2 = List.of(
            new Shape(24, 32, 32), new Shape(116, 16, 16), new Shape(232, 8, 8), new Shape(464, 4, 4), new Shape(1024));

    private static Map<String, Shape> weights(NDManager m, List<Shape> student, List<Shape> teacher) {
        ReviewKdDistiller d = new ReviewKdDistiller(new ReviewKdProvider().defaultConfig());
        d.prepare(new DistillerSetup(m, student, teacher, 100, 10));
        Map<String, Shape> shapes = new LinkedHashMap<>();
        for (Map.Entry<String, Block> e : d.trainableModules().entrySet()) {
            for (Pair<String, ai.djl.nn.Parameter> p : e.getValue().getParameters()) {
                if (p.getKey().endsWith("weight") && !p.getKey().contains("bn")) {
                    shapes.put(
                            e.getKey() + "."
                                    + p.getKey().replaceAll("^\\d+", "").replaceAll("_\\d*", "."),
                            p.getValue().getArray().getShape());
                }
            }
        }
        return shapes;
    }

    private static Shape find(Map<String, Shape> shapes, String module, String layer) {
        return shapes.entrySet().stream()
                .filter(e -> e.getKey().startsWith(module + ".") && e.getKey().contains(layer))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElseThrow(() -> new AssertionError(module + " " + layer + " in " + shapes));
    }

    @Test
    void resnet8x4FromResnet32x4HasTheReferenceAbfShapes() {
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            Map<String, Shape> w = weights(m, RESNET8X4, RESNET32X4);
            assertEquals(new Shape(256, 256, 1, 1), find(w, "abf4", "conv1"));
            assertEquals(new Shape(256, 256, 3, 3), find(w, "abf4", "conv2"));
            assertFalse(
                    w.keySet().stream().anyMatch(k -> k.startsWith("abf4.") && k.contains("att")),
                    "the deepest level has no fusion");
            assertEquals(new Shape(256, 256, 3, 3), find(w, "abf3", "conv2"));
            assertEquals(new Shape(128, 256, 3, 3), find(w, "abf2", "conv2"));
            assertEquals(new Shape(64, 256, 3, 3), find(w, "abf1", "conv2"));
            assertEquals(new Shape(2, 512, 1, 1), find(w, "abf1", "att"));
        }
    }

    @Test
    void shuffleV2FromResnet32x4UsesMid512AndUpsamplesToTheTeacherSizes() {
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            Map<String, Shape> w = weights(m, SHUFFLEV2, RESNET32X4);
            assertEquals(new Shape(512, 1024, 1, 1), find(w, "abf4", "conv1"));
            assertEquals(new Shape(64, 512, 3, 3), find(w, "abf1", "conv2"));
            ReviewKdDistiller d = new ReviewKdDistiller(new ReviewKdProvider.Config(0, 512, "train"));
            d.prepare(new DistillerSetup(m, SHUFFLEV2, RESNET32X4, 100, 10));
            LossTerms terms = d.loss(step(m, SHUFFLEV2, RESNET32X4));
            assertTrue(terms.sum().getFloat() > 0);
        }
    }

    private static DistillationStep step(NDManager m, List<Shape> student, List<Shape> teacher) {
        Engine.getEngine("PyTorch").setRandomSeed(1);
        List<NDArray> s = new ArrayList<>();
        List<NDArray> t = new ArrayList<>();
        for (Shape shape : student) {
            s.add(m.randomNormal(new Shape(2).addAll(shape)));
        }
        for (Shape shape : teacher) {
            t.add(m.randomNormal(new Shape(2).addAll(shape)));
        }
        NDArray logits = m.zeros(new Shape(2, 100));
        return new DistillationStep(
                new NetworkOutput(logits, s, List.of()),
                new NetworkOutput(logits, t, t),
                new StepBatch(m.zeros(new Shape(2), DataType.INT64), null, null, 3),
                new ParameterStore(m, false),
                true);
    }
}
