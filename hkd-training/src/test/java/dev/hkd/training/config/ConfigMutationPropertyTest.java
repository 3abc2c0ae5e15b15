package dev.hkd.training.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hkd.training.methods.DistillerRegistry;
import dev.hkd.training.methods.MethodSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/**
 * Any mutation of a valid run configuration, with any {@code --set} overrides, is either read
 * (and its method built) or refused with one {@link ConfigException} line that names the file or
 * the override and never says {@code :0}: never another exception (which the CLI reports as an
 * internal error, exit 3), never longer than a bound, never a file written.
 *
 * <p>1000 tries, each drawn by {@link SeededTries} from one seed, printed first as
 * {@code ConfigMutationPropertyTest: seed 123 (replay: HKD_PROPERTY_SEED=123)}; a failure names
 * the seed, the try and the mutated file and overrides. To replay a run, give its seed:
 * {@code HKD_PROPERTY_SEED=123 ./mvnw -B -o -pl hkd-training -am test -Dtest=ConfigMutationPropertyTest
 * -Dsurefire.failIfNoSpecifiedTests=false} (or {@code -DHKD_PROPERTY_SEED=123}); the same tries
 * are drawn in the same order and the run fails at the same try.
 */
class ConfigMutationPropertyTest {

    /** Three valid configurations to start from: vanilla, KD with options, HKD+KD with its teacher. */
    static final List<String> VALID = List.of("""
            seed: 1
            data: {dataset: fashion-mnist-subset, augment: crop-flip, train_limit: 128}
            student: {model: fmnist_cnn}
            training:
              optimizer: {lr: 0.05, momentum: 0.9, weight_decay: 5.0e-4, nesterov: false}
              schedule: {epochs: 2, milestones: [1], gamma: 0.1}
              batch_size: 64
            eval_batch_size: 500
            checkpoint_every_steps: 200
            output: runs/x
            """, """
            seed: 3
            teacher: {model: fmnist_resnet, checkpoint: null, seed: 7, training: {schedule: {epochs: 1, milestones: []}}}
            student: {model: fmnist_cnn}
            method: {name: kd, weights: {ce: 0.1, kd: 0.9}, options: {kd: {temperature: 4}}, label: kd-t4}
            training: {schedule: {epochs: 3, milestones: [1, 2]}}
            """, """
            data: {dataset: image-folder, dir: /data/imagenette, image_size: 64, normalization: dataset}
            teacher: {model: resnet8}
            student: {model: resnet8}
            method: {name: hkd+kd, options: {hkd: {knn: 4, nce_k: 64, feat_dim: 32}}}
            """);

    private static final DistillerRegistry REGISTRY = DistillerRegistry.fromClasspath();
    private static Path dir;
    private static Path sentinel;
    private static Set<String> workingDirectory;

    @BeforeAll
    static void folder() throws IOException {
        dir = Files.createTempDirectory("hkd-config-mutations");
        sentinel = dir.resolve("not-ours.txt");
        Files.writeString(sentinel, "mine\n");
        workingDirectory = names(Path.of(""));
    }

    @AfterAll
    static void removeFolder() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }

    /** One try: which valid config, the edit, the file it gives and the {@code --set} arguments. */
    record Mutated(int base, YamlMutations.Edit edit, String text, List<String> overrides) {

        static Mutated draw(SplittableRandom random) throws IOException {
            int base = random.nextInt(VALID.size());
            YamlMutations.Edit edit = YamlMutations.edit(random);
            List<String> overrides = YamlMutations.overrides(random);
            ObjectNode valid = (ObjectNode) ConfigLoader.mapper().readTree(VALID.get(base));
            return new Mutated(base, edit, edit.apply(valid), overrides);
        }

        @Override
        public String toString() {
            return "config " + base + " with " + edit.mutations() + ", --set " + overrides + ", run.yaml: " + text;
        }
    }

    @Test
    void anyMutationIsReadOrRefusedInOneLine() {
        SeededTries.run("ConfigMutationPropertyTest", 1000, Mutated::draw, ConfigMutationPropertyTest::check);
    }

    /** The per-try check: read or refused in one line within 10 s, nothing written. */
    static String check(Mutated mutated) throws IOException {
        Path file = Files.writeString(dir.resolve("run.yaml"), mutated.text());
        String outcome =
                assertTimeoutPreemptively(Duration.ofSeconds(10), () -> readOrRefuse(file, mutated.overrides()));
        assertNothingWritten();
        return outcome;
    }

    static void assertNothingWritten() throws IOException {
        assertEquals(Set.of("run.yaml", "not-ours.txt"), names(dir), "nothing is written beside the config");
        assertEquals("mine\n", Files.readString(sentinel));
        assertEquals(workingDirectory, names(Path.of("")), "nothing is written into the working directory");
    }

    /** The checks can fail: a two-line, line-0 or unnamed error, and a stray file, are each reported. */
    @Test
    void theChecksReportWhatTheyForbid() throws Exception {
        Path file = dir.resolve("run.yaml");
        assertThrows(AssertionFailedError.class, () -> assertOneLine(file + ":3: seed: bad\nsecond line", file));
        assertThrows(AssertionFailedError.class, () -> assertOneLine(file + ":0: seed: bad", file));
        assertThrows(AssertionFailedError.class, () -> assertOneLine("seed: bad", file));
        assertThrows(AssertionFailedError.class, () -> assertOneLine(" ", file));
        assertOneLine(file + ":3: seed: must be a whole number, got 'x'", file);

        Files.writeString(file, "seed: 1\n");
        Path stray = Files.writeString(dir.resolve("stray.txt"), "written by a reader\n");
        SeededTries.assertSeesStray(stray, ConfigMutationPropertyTest::assertNothingWritten);
    }

    /**
     * A deliberately broken check, run the way the property runs: it holds the mutated file itself
     * to the one-line rule (a YAML file always ends its lines), so the first try fails, and the
     * failure names the seed, the try and the input.
     */
    @Test
    void aFailingTryIsReportedWithItsSeedTryAndInput() {
        String message = SeededTries.assertBrokenCheckIsReported(
                "ConfigMutationPropertyTest (broken check)",
                42L,
                Mutated::draw,
                m -> {
                    assertOneLine(m.text(), dir.resolve("run.yaml"));
                    return check(m);
                },
                "config ");
        assertTrue(message.contains(", run.yaml: "), message);
    }

    /** "read" or "refused"; anything but a {@link ConfigException} propagates and fails the try. */
    static String readOrRefuse(Path file, List<String> overrides) {
        try {
            RunConfig config = ConfigLoader.loadRun(file, overrides);
            MethodSet.build(config.method(), REGISTRY, file);
            return "read";
        } catch (ConfigException e) {
            assertOneLine(e.getMessage(), file);
            return "refused";
        }
    }

    /** The exit-2 line: one line, naming the file or the override first, never a line 0. */
    static void assertOneLine(String m, Path file) {
        assertFalse(m == null || m.isBlank(), "an error says something");
        assertFalse(m.contains("\n") || m.contains("\r"), m);
        assertFalse(m.matches(".*:0(:|$).*"), m);
        assertTrue(m.startsWith(file.toString()) || m.startsWith("--set ") || m.startsWith("method."), m);
    }

    private static Set<String> names(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }
}
