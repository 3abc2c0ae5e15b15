package dev.hkd.training.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every model of the reference zoo has the reference's parameter count, state dict (names and
 * shapes, BatchNorm statistics included) and feature shapes (the project's copy of the manifest).
 */
class ModelZooTest {

    /** The project's byte-identical copy of the reference manifest, kept with the other parity cases. */
    private static final Path MANIFEST = Path.of("../hkd-experiments/src/test/resources/parity/models/manifest.json");

    static JsonNode manifest() throws Exception {
        return new ObjectMapper().readTree(MANIFEST.toFile());
    }

    static Stream<String> referenceModels() throws Exception {
        List<String> names = new ArrayList<>();
        manifest().fieldNames().forEachRemaining(names::add);
        assertEquals(22, names.size(), "the manifest lists the 22 models of the reference zoo");
        return names.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("referenceModels")
    void matchesTheReferenceManifest(String name) throws Exception {
        JsonNode entry = manifest().get(name);
        try (NDManager m = Engines.training().newBaseManager()) {
            FeatureNetwork net = ModelZoo.create(name, 100);
            net.initialize(m, DataType.FLOAT32, ModelZoo.inputShape(name));
            assertEquals(entry.get("parameters").asLong(), net.trainableParameterCount(), "parameter count");

            Map<String, Shape> ours = new LinkedHashMap<>();
            for (Map.Entry<String, Parameter> e : StateDict.of(net).entrySet()) {
                ours.put(e.getKey(), e.getValue().getArray().getShape());
                if (e.getKey().endsWith("running_var")) {
                    ours.put(e.getKey().replace("running_var", StateDict.BATCHES_TRACKED), new Shape());
                }
            }
            Map<String, Shape> reference = new LinkedHashMap<>();
            for (JsonNode row : entry.get("state_dict")) {
                long[] dims = new long[row.get(1).size()];
                for (int i = 0; i < dims.length; i++) {
                    dims[i] = row.get(1).get(i).asLong();
                }
                reference.put(row.get(0).asText(), new Shape(dims));
            }
            assertEquals(new java.util.TreeMap<>(reference), new java.util.TreeMap<>(ours), "state dict");

            NetworkOutput out = net.forward(new ParameterStore(m, false), m.zeros(ModelZoo.inputShape(name)), false, true);
            List<Shape> features = out.features().stream().map(f -> f.getShape().slice(1)).toList();
            List<Shape> expected = new ArrayList<>();
            for (JsonNode f : entry.get("feature_shapes")) {
                long[] dims = new long[f.size()];
                for (int i = 0; i < dims.length; i++) {
                    dims[i] = f.get(i).asLong();
                }
                expected.add(new Shape(dims));
            }
            assertEquals(expected, features, "feature shapes");
            assertEquals(features.size(), out.preActivationFeatures().size(), "one pre-activation feature per feature");
            assertEquals(entry.get("logits_shape").get(0).asLong(), out.logits().getShape().get(1));
            assertTrue(ModelZoo.names().contains(name));

            // The classifier (the last child, which RepDistiller's init stage leaves out) maps the pooled vector to the logits.
            List<Shape> classifier = net.classifier().getParameters().values().stream().map(p -> p.getArray().getShape()).toList();
            assertEquals(List.of(new Shape(100, features.get(features.size() - 1).get(0)), new Shape(100)), classifier, "classifier");
            // OFD's margins: where a model names its BatchNorm before each stage's ReLU, one per stage, of the stage's width.
            List<Long> widths = net.batchNormsBeforeActivation().stream().map(bn -> bn.gamma().getArray().getShape().get(0)).toList();
            if (!widths.isEmpty()) {
                assertEquals(features.subList(1, features.size() - 1).stream().map(f -> f.get(0)).toList(), widths, "BatchNorms before ReLU");
            }
        }
    }
}
