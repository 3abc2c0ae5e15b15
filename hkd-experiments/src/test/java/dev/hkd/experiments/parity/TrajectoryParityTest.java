package dev.hkd.experiments.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.hkd.training.io.SafeTensors;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The framework's training step computes what the authors' {@code train_distill} loop computes:
 * every trajectory case (the project's byte-for-byte copies of {@code shared/parity/trajectories})
 * replays through {@code TrainingStep}, {@code Sgd} and the distillers within the README's
 * tolerances, and a case that was tampered with, or that the runner cannot run, fails.
 */
class TrajectoryParityTest {

    /** Cases that must be present: a missing one fails the build instead of silently not running. */
    static final List<String> REQUIRED = List.of("kd-resnet8-s1", "crd-kd-resnet8-s1", "hkd-kd-resnet8-s1");

    static Path casesDir() {
        return ParityResources.folder("trajectories", "trajectory");
    }

    static Stream<String> cases() throws IOException {
        try (Stream<Path> dirs = Files.list(casesDir())) {
            List<String> names = dirs.filter(TrajectoryCase::isCase)
                    .map(p -> p.getFileName().toString())
                    .sorted()
                    .toList();
            for (String required : REQUIRED) {
                assertTrue(names.contains(required), "required trajectory case missing: " + required);
            }
            return names.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void replaysTheAuthorsTrainingLoop(String name) {
        ParityResources.assertPasses(new ParityRunner().runTrajectory(casesDir().resolve(name)));
    }

    @Test
    void theFolderGivesOneLinePerCaseAndTheTally() {
        List<ParityRunner.CaseResult> results = new ParityRunner().runFolder(casesDir());
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int failed = ParityRunner.report(results, new PrintStream(buffer, true, StandardCharsets.UTF_8));
        String[] lines = buffer.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(0, failed);
        assertEquals(REQUIRED.size() + 1, lines.length);
        assertEquals(REQUIRED.size() + " passed, 0 failed", lines[lines.length - 1]);
        assertTrue(lines[0].contains("worst step error"), lines[0]);
    }

    @Test
    void oneChangedWeightFails(@TempDir Path tmp) throws IOException {
        Path dir = copyCase("kd-resnet8-s1", tmp);
        rewriteInitialWeights(dir, (m, tensors) -> {
            NDArray w = tensors.get("student.layer1.0.conv1.weight");
            float[] values = w.toFloatArray();
            values[0] += 0.5f;
            tensors.put("student.layer1.0.conv1.weight", m.create(values, w.getShape()));
        });
        ParityRunner.CaseResult r = new ParityRunner().runTrajectory(dir);
        assertFalse(r.passed(), "a perturbed weight must fail: " + r.detail());
        assertTrue(r.detail().contains("step 1"), r.detail());
    }

    @Test
    void anUnknownFieldFailsNamingIt(@TempDir Path tmp) throws IOException {
        Path dir = copyCase("kd-resnet8-s1", tmp);
        rewriteCase(dir, "\"knn\": 8", "\"knn\": 8, \"label_smoothing\": 0.1");
        ParityRunner.CaseResult r = new ParityRunner().runTrajectory(dir);
        assertFalse(r.passed());
        assertTrue(r.detail().contains("params.label_smoothing"), r.detail());
    }

    @Test
    void anUnknownModelOrMethodFails(@TempDir Path tmp) throws IOException {
        Path model = copyCase("kd-resnet8-s1", tmp.resolve("a"));
        rewriteCase(model, "\"student\": \"resnet8\"", "\"student\": \"resnet9\"");
        ParityRunner.CaseResult r = new ParityRunner().runTrajectory(model);
        assertFalse(r.passed());
        assertTrue(r.detail().contains("unknown model 'resnet9'"), r.detail());

        Path method = copyCase("kd-resnet8-s1", tmp.resolve("b"));
        rewriteCase(method, "\"method\": \"kd\"", "\"method\": \"dkd+kd\"");
        assertFalse(new ParityRunner().runTrajectory(method).passed());
    }

    @Test
    void aMissingTensorFails(@TempDir Path tmp) throws IOException {
        Path dir = copyCase("crd-kd-resnet8-s1", tmp);
        rewriteInitialWeights(dir, (m, tensors) -> tensors.remove("embed_t.bias"));
        ParityRunner.CaseResult r = new ParityRunner().runTrajectory(dir);
        assertFalse(r.passed());
        assertTrue(r.detail().contains("embed_t"), r.detail());
    }

    private static Path copyCase(String name, Path into) throws IOException {
        Path dir = into.resolve(name);
        Files.createDirectories(dir);
        try (Stream<Path> files = Files.list(casesDir().resolve(name))) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        return dir;
    }

    /** The case's {@code init.safetensors} as {@code edit} leaves its tensors. */
    private static void rewriteInitialWeights(Path dir, BiConsumer<NDManager, Map<String, NDArray>> edit)
            throws IOException {
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            Map<String, NDArray> tensors = new LinkedHashMap<>(
                    SafeTensors.read(dir.resolve("init.safetensors"), m).tensors());
            edit.accept(m, tensors);
            SafeTensors.write(dir.resolve("init.safetensors"), tensors, Map.of());
        }
    }

    private static void rewriteCase(Path dir, String from, String to) throws IOException {
        Path file = dir.resolve("case.json");
        String text = Files.readString(file);
        assertTrue(text.contains(from), "case.json lacks " + from);
        Files.writeString(file, text.replace(from, to));
    }
}
