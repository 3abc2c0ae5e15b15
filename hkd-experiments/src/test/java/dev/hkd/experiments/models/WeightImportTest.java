package dev.hkd.experiments.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.hkd.experiments.parity.ParityRunner;
import dev.hkd.training.io.SafeTensors;
import dev.hkd.training.io.SafeTensorsException;
import dev.hkd.training.models.FeatureNetwork;
import dev.hkd.training.models.ModelZoo;
import dev.hkd.training.models.WeightImport;
import dev.hkd.training.train.Engines;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** PyTorch checkpoints load into the zoo and compute what the reference computes. */
class WeightImportTest {

    @TempDir
    Path dir;

    static Path fixtures() throws Exception {
        return Path.of(WeightImportTest.class.getResource("/parity/models").toURI());
    }

    static Path imagenetFixtures() throws Exception {
        return Path.of(
                WeightImportTest.class.getResource("/parity/models-imagenet").toURI());
    }

    static Stream<Path> modelFixtures() throws Exception {
        return Stream.of(
                fixtures().resolve("resnet8x4.io.safetensors"),
                fixtures().resolve("wrn_16_2.io.safetensors"),
                fixtures().resolve("MobileNetV2.io.safetensors"),
                fixtures().resolve("ShuffleV2.io.safetensors"),
                imagenetFixtures().resolve("resnet18.io.safetensors"));
    }

    /**
     * Each fixture's reference state dict, loaded into the zoo model built for its manifest's
     * classes and input, gives the reference's logits and every feature: eval mode in both image
     * layouts (with pre-activation features), training mode in the contiguous one. resnet18 is
     * torchvision's names and layout, on 64×64 inputs.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("modelFixtures")
    void importedWeightsReproduceTheReferenceOutputs(Path io) throws Exception {
        ParityRunner.CaseResult r = new ParityRunner().runModel(io);
        assertTrue(r.passed(), r.detail());
    }

    /** The model check can fail: one changed weight, a fixture its manifest does not describe, or no manifest, is a failed case. */
    @Test
    void aChangedWeightOrAMissingManifestEntryFailsTheCase() throws Exception {
        Path copy = dir.resolve("copy");
        java.nio.file.Files.createDirectories(copy);
        for (String f : new String[] {"resnet18.io.safetensors", "manifest.json"}) {
            java.nio.file.Files.copy(imagenetFixtures().resolve(f), copy.resolve(f));
        }
        try (NDManager m = Engines.training().newBaseManager()) {
            Map<String, NDArray> weights =
                    new LinkedHashMap<>(SafeTensors.read(imagenetFixtures().resolve("resnet18.safetensors"), m)
                            .tensors());
            weights.put("layer3.1.bn2.bias", weights.get("layer3.1.bn2.bias").add(0.5f));
            SafeTensors.write(copy.resolve("resnet18.safetensors"), weights, Map.of());
        }
        ParityRunner.CaseResult changed = new ParityRunner().runModel(copy.resolve("resnet18.io.safetensors"));
        assertFalse(changed.passed(), changed.detail());
        assertTrue(changed.detail().contains("eval logits"), changed.detail());

        java.nio.file.Files.writeString(copy.resolve("manifest.json"), "{}");
        ParityRunner.CaseResult undescribed = new ParityRunner().runModel(copy.resolve("resnet18.io.safetensors"));
        assertFalse(undescribed.passed());
        assertTrue(undescribed.detail().contains("has no entry 'resnet18'"), undescribed.detail());

        java.nio.file.Files.delete(copy.resolve("manifest.json"));
        ParityRunner.CaseResult withoutManifest = new ParityRunner().runModel(copy.resolve("resnet18.io.safetensors"));
        assertFalse(withoutManifest.passed());
        assertTrue(
                withoutManifest.detail().contains("no manifest.json beside resnet18.io.safetensors"),
                withoutManifest.detail());
    }

    @Test
    void theHalfPrecisionFixtureIsWidenedToFloat32() throws Exception {
        try (NDManager m = Engines.training().newBaseManager()) {
            FeatureNetwork net = ModelZoo.create("resnet8x4", 100);
            net.initialize(m, DataType.FLOAT32, ModelZoo.inputShape("resnet8x4"));
            WeightImport.load(net, fixtures().resolve("resnet8x4.safetensors"), m);
            NDArray fcBias =
                    net.getParameters().valueAt(net.getParameters().size() - 1).getArray();
            assertTrue(fcBias.getDataType() == DataType.FLOAT32);
            NDArray reference = SafeTensors.read(fixtures().resolve("resnet8x4.safetensors"), m)
                    .tensors()
                    .get("fc.bias");
            assertArrayEquals(reference.toFloatArray(), fcBias.toFloatArray());
        }
    }

    @Test
    void missingUnexpectedAndMisshapedTensorsAreOneLineErrors() throws Exception {
        try (NDManager m = Engines.training().newBaseManager()) {
            FeatureNetwork net = ModelZoo.create("resnet8", 100);
            net.initialize(m, DataType.FLOAT32, ModelZoo.inputShape("resnet8"));
            Map<String, NDArray> full = new LinkedHashMap<>();
            dev.hkd.training.models.nn.StateDict.of(net).forEach((k, p) -> full.put(k, p.getArray()));

            Map<String, NDArray> missing = new LinkedHashMap<>(full);
            missing.remove("layer2.0.downsample.1.running_var");
            assertError(m, net, missing, "no tensor 'layer2.0.downsample.1.running_var'");

            Map<String, NDArray> extra = new LinkedHashMap<>(full);
            extra.put("fc2.weight", m.zeros(new Shape(3)));
            assertError(m, net, extra, "tensor 'fc2.weight' is not a parameter of resnet8");

            Map<String, NDArray> misshaped = new LinkedHashMap<>(full);
            misshaped.put("fc.weight", m.zeros(new Shape(10, 64)));
            assertError(m, net, misshaped, "tensor 'fc.weight' has shape (10, 64), resnet8 needs (100, 64)");

            Map<String, NDArray> withCounter = new LinkedHashMap<>(full);
            withCounter.put("bn1.num_batches_tracked", m.create(7L));
            SafeTensors.write(dir.resolve("ok.safetensors"), withCounter, Map.of());
            WeightImport.load(net, dir.resolve("ok.safetensors"), m);
        }
    }

    private void assertError(NDManager m, FeatureNetwork net, Map<String, NDArray> tensors, String expected) {
        Path f = dir.resolve("w.safetensors");
        SafeTensors.write(f, tensors, Map.of());
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> WeightImport.load(net, f, m));
        assertTrue(e.getMessage().contains(expected) && e.getMessage().contains(f.toString()), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }
}
