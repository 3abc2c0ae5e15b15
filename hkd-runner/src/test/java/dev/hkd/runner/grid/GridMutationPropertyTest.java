package dev.hkd.runner.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hkd.training.config.ConfigException;
import dev.hkd.training.config.ConfigLoader;
import dev.hkd.training.config.SeededTries;
import dev.hkd.training.config.YamlMutations;
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
 * Any mutation of a valid grid file (and of the grid it extends), with any {@code --set}
 * overrides, either loads and expands into cells or is refused in one {@link ConfigException}
 * line naming the file or the override, never {@code :0}: never another exception, never past a
 * bound (a grid that would expand without end is refused before expanding), never a file written
 * (loading and expanding a grid creates no folder, whatever {@code output} says).
 *
 * <p>600 tries, each drawn by {@link SeededTries} (from the hkd-training test jar) from one seed,
 * printed first as {@code GridMutationPropertyTest: seed 123 (replay: HKD_PROPERTY_SEED=123)}; a
 * failure names the seed, the try, the mutated grid and parent and the overrides. To replay a run,
 * give its seed: {@code HKD_PROPERTY_SEED=123 ./mvnw -B -o -pl hkd-training,hkd-runner -am test
 * -Dtest=GridMutationPropertyTest -Dsurefire.failIfNoSpecifiedTests=false} (or
 * {@code -DHKD_PROPERTY_SEED=123}); the same tries are drawn in the same order.
 */
class GridMutationPropertyTest {

    private static final List<String> VALID = List.of("""
            name: g
            base:
              seed: 1
              data: {dataset: fashion-mnist-subset, train_limit: 128}
              teacher: {model: fmnist_cnn, training: {schedule: {epochs: 1, milestones: []}}}
              student: {model: fmnist_cnn}
              training: {schedule: {epochs: 1, milestones: []}, batch_size: 64}
            sweep:
              method.name: [vanilla, kd]
            zip:
              - {student.model: [fmnist_cnn, tiny_cnn], training.optimizer.lr: [0.05, 0.1]}
            trials: 1
            output: runs/g
            slurm: {partition: debug, cpus_per_task: 2, mem: 4G, time: "01:00:00"}
            """, """
            extends: parent.yaml
            name: child
            sweep:
              method.options.kd.temperature: [2, 4]
            trials: 1
            """);
    private static final String PARENT = """
            base:
              teacher: {model: fmnist_resnet}
              student: {model: fmnist_cnn}
              method: {name: kd}
            output: runs/parent
            """;

    private static Path dir;
    private static Set<String> workingDirectory;

    @BeforeAll
    static void folder() throws IOException {
        dir = Files.createTempDirectory("hkd-grid-mutations");
        Files.writeString(dir.resolve("parent.yaml"), PARENT);
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

    /** One try: which grid, the edit, the grid and parent files it gives, and the {@code --set} arguments. */
    record Mutated(
            int base, YamlMutations.Edit edit, boolean onParent, String grid, String parent, List<String> overrides) {

        /** The second grid extends the parent; half of its tries mutate the parent instead of the grid. */
        static Mutated draw(SplittableRandom random) throws IOException {
            int base = random.nextInt(VALID.size());
            YamlMutations.Edit edit = YamlMutations.edit(random);
            List<String> overrides = YamlMutations.overrides(random);
            boolean onParent = random.nextBoolean() && base == 1;
            ObjectNode tree = (ObjectNode) ConfigLoader.mapper().readTree(onParent ? PARENT : VALID.get(base));
            return onParent
                    ? new Mutated(base, edit, true, VALID.get(base), edit.apply(tree), overrides)
                    : new Mutated(base, edit, false, edit.apply(tree), PARENT, overrides);
        }

        @Override
        public String toString() {
            return "grid " + base + " with " + edit.mutations() + (onParent ? " on its parent" : "") + ", --set "
                    + overrides + ", grid.yaml: " + grid + (onParent ? ", parent.yaml: " + parent : "");
        }
    }

    @Test
    void anyMutatedGridLoadsOrIsRefusedInOneLine() {
        SeededTries.run("GridMutationPropertyTest", 600, Mutated::draw, GridMutationPropertyTest::check);
    }

    /** The per-try check: loaded and expanded, or refused in one line, within 10 s, nothing written. */
    private static String check(Mutated mutated) throws IOException {
        Path grid = dir.resolve("grid.yaml");
        Files.writeString(dir.resolve("parent.yaml"), mutated.parent());
        Files.writeString(grid, mutated.grid());
        String outcome =
                assertTimeoutPreemptively(Duration.ofSeconds(10), () -> loadOrRefuse(grid, mutated.overrides()));
        assertNothingWritten();
        return outcome;
    }

    private static void assertNothingWritten() throws IOException {
        assertEquals(Set.of("grid.yaml", "parent.yaml"), names(dir), "nothing is written beside the grid");
        assertEquals(workingDirectory, names(Path.of("")), "nothing is written into the working directory");
    }

    private static String loadOrRefuse(Path grid, List<String> overrides) {
        try {
            List<Cell> cells = GridLoader.cells(GridLoader.load(grid, overrides));
            assertFalse(cells.isEmpty());
            return "loaded";
        } catch (ConfigException e) {
            assertOneLine(e.getMessage(), grid);
            return "refused";
        }
    }

    /** The exit-2 line: one line, naming the grid's folder, the override or the output first, never a line 0. */
    private static void assertOneLine(String m, Path grid) {
        assertFalse(m == null || m.contains("\n") || m.contains("\r"), m);
        assertFalse(m.matches(".*:0(:|$).*"), m);
        assertTrue(m.startsWith(grid.getParent().toString()) || m.startsWith("--set ") || m.startsWith("runs"), m);
    }

    /** The checks can fail: a two-line, line-0 or unnamed error, and a stray file, are each reported. */
    @Test
    void theChecksReportWhatTheyForbid() throws Exception {
        Path grid = dir.resolve("grid.yaml");
        assertThrows(AssertionFailedError.class, () -> assertOneLine(grid + ":2: trials: bad\nsecond line", grid));
        assertThrows(AssertionFailedError.class, () -> assertOneLine(grid + ":0: trials: bad", grid));
        assertThrows(AssertionFailedError.class, () -> assertOneLine("trials: bad", grid));
        assertOneLine(grid + ":2: trials: must be at least 1, got 0", grid);

        Files.writeString(grid, VALID.get(0));
        Path stray = dir.resolve("runs");
        Files.createDirectory(stray);
        SeededTries.assertSeesStray(stray, GridMutationPropertyTest::assertNothingWritten);
    }

    /**
     * A deliberately broken check, run the way the property runs: it holds the grid file itself to
     * the one-line rule, so the first try fails, and the failure names the seed, the try and the input.
     */
    @Test
    void aFailingTryIsReportedWithItsSeedTryAndInput() {
        String message = SeededTries.assertBrokenCheckIsReported(
                "GridMutationPropertyTest (broken check)",
                42L,
                Mutated::draw,
                m -> {
                    assertOneLine(m.grid(), dir.resolve("grid.yaml"));
                    return check(m);
                },
                "grid ");
        assertTrue(message.contains(", grid.yaml: "), message);
    }

    private static Set<String> names(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }
}
