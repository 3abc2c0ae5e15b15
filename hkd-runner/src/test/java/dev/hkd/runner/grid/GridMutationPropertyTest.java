package dev.hkd.runner.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hkd.training.config.ConfigException;
import dev.hkd.training.config.ConfigLoader;
import dev.hkd.training.config.YamlMutations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Any mutation of a valid grid file (and of the grid it extends), with any {@code --set}
 * overrides, either loads and expands into cells or is refused in one {@link ConfigException}
 * line naming the file or the override, never {@code :0}: never another exception, never past a
 * bound (a grid that would expand without end is refused before expanding), never a file written
 * (loading and expanding a grid creates no folder, whatever {@code output} says).
 *
 * <p>jqwik prints the property's {@code seed = …} after the run; replay it with
 * {@code @Property(tries = 600, seed = "<seed>")} on the property and
 * {@code ./mvnw -B -o -pl hkd-runner test -Dtest=GridMutationPropertyTest}. A failing seed is
 * also kept in {@code target/jqwik-database} and tried first on the next run.
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

    @BeforeContainer
    static void folder() throws IOException {
        dir = Files.createTempDirectory("hkd-grid-mutations");
        Files.writeString(dir.resolve("parent.yaml"), PARENT);
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
        return Arbitraries.integers().between(0, VALID.size() - 1);
    }

    @Property(tries = 600, shrinking = ShrinkingMode.BOUNDED, edgeCases = EdgeCasesMode.NONE)
    void anyMutatedGridLoadsOrIsRefusedInOneLine(@ForAll("bases") int base, @ForAll("edits") YamlMutations.Edit edit,
                                                 @ForAll("overrides") List<String> overrides, @ForAll boolean mutateParent)
            throws Exception {
        Path grid = dir.resolve("grid.yaml");
        Path parent = dir.resolve("parent.yaml");
        ObjectNode valid = (ObjectNode) ConfigLoader.mapper().readTree(VALID.get(base));
        if (mutateParent && base == 1) {
            Files.writeString(parent, edit.apply((ObjectNode) ConfigLoader.mapper().readTree(PARENT)));
            Files.writeString(grid, VALID.get(base));
        } else {
            Files.writeString(parent, PARENT);
            Files.writeString(grid, edit.apply(valid));
        }
        Statistics.label("outcome").collect(assertTimeoutPreemptively(Duration.ofSeconds(10), () -> loadOrRefuse(grid, overrides)));
        assertEquals(Set.of("grid.yaml", "parent.yaml"), names(dir), "nothing is written beside the grid");
        assertEquals(workingDirectory, names(Path.of("")), "nothing is written into the working directory");
    }

    private static String loadOrRefuse(Path grid, List<String> overrides) {
        try {
            List<Cell> cells = GridLoader.cells(GridLoader.load(grid, overrides));
            assertFalse(cells.isEmpty());
            return "loaded";
        } catch (ConfigException e) {
            String m = e.getMessage();
            assertFalse(m.contains("\n") || m.contains("\r"), m);
            assertFalse(m.matches(".*:0(:|$).*"), m);
            assertTrue(m.startsWith(grid.getParent().toString()) || m.startsWith("--set ") || m.startsWith("runs"), m);
            return "refused";
        }
    }

    private static Set<String> names(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }
}
