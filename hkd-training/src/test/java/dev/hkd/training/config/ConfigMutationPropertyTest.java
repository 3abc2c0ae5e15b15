package dev.hkd.training.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Any mutation of a valid run configuration, with any {@code --set} overrides, is either read
 * (and its method built) or refused with one {@link ConfigException} line that names the file or
 * the override and never says {@code :0}: never another exception (which the CLI reports as an
 * internal error, exit 3), never longer than a bound, never a file written.
 *
 * <p>jqwik prints each property's {@code seed = …} in its report after the run. To replay a run,
 * put that seed on the property, {@code @Property(tries = 1000, seed = "-1234")}, and run this
 * class alone:
 * {@code ./mvnw -B -o -pl hkd-training test -Dtest=ConfigMutationPropertyTest}. A failed run is
 * replayed by itself: jqwik keeps the failing seed in {@code target/jqwik-database} and tries it
 * first next time.
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

    @BeforeContainer
    static void folder() throws IOException {
        dir = Files.createTempDirectory("hkd-config-mutations");
        sentinel = dir.resolve("not-ours.txt");
        Files.writeString(sentinel, "mine\n");
        workingDirectory = names(Path.of(""));
    }

    @AfterContainer
    static void removeFolder() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }

    @Provide
    Arbitrary<YamlMutations.Edit> edits() {
        return YamlMutations.edits();
    }

    @Provide
    Arbitrary<List<String>> overrides() {
        return YamlMutations.overrides();
    }

    @Provide
    Arbitrary<Integer> bases() {
        return net.jqwik.api.Arbitraries.integers().between(0, VALID.size() - 1);
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.BOUNDED, edgeCases = EdgeCasesMode.NONE)
    void anyMutationIsReadOrRefusedInOneLine(@ForAll("bases") int base, @ForAll("edits") YamlMutations.Edit edit,
                                             @ForAll("overrides") List<String> overrides) throws Exception {
        ObjectNode valid = (ObjectNode) ConfigLoader.mapper().readTree(VALID.get(base));
        Path file = dir.resolve("run.yaml");
        Files.writeString(file, edit.apply(valid));
        Statistics.label("outcome").collect(assertTimeoutPreemptively(Duration.ofSeconds(10), () -> readOrRefuse(file, overrides)));
        assertEquals(Set.of("run.yaml", "not-ours.txt"), names(dir), "nothing is written beside the config");
        assertEquals("mine\n", Files.readString(sentinel));
        assertEquals(workingDirectory, names(Path.of("")), "nothing is written into the working directory");
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
