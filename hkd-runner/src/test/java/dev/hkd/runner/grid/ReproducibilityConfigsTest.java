package dev.hkd.runner.grid;

import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.hkd.runner.RepositoryRoot;
import dev.hkd.training.config.ConfigLoader;
import dev.hkd.training.config.RunConfig;
import dev.hkd.training.methods.DistillerRegistry;
import dev.hkd.training.methods.MethodSet;
import dev.hkd.training.models.ModelZoo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every run configuration and grid shipped under reproducibility/ loads and names known methods and models. */
class ReproducibilityConfigsTest {

    static Path root() {
        return RepositoryRoot.path();
    }

    static Stream<Path> configs() throws Exception {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root().resolve("reproducibility"))) {
            // Run stores (…-runs/, …-teachers/) hold the resolved configs of runs, not configs to ship.
            files = walk.filter(p -> p.toString().endsWith(".yaml")
                            && !p.toString().contains("-runs/")
                            && !p.toString().contains("-teachers/"))
                    .sorted()
                    .toList();
        }
        assertFalse(files.isEmpty(), "no configs found under " + root().resolve("reproducibility"));
        return files.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void validates(Path file) throws Exception {
        com.fasterxml.jackson.databind.JsonNode tree = ConfigLoader.mapper().readTree(file.toFile());
        if (tree.has("base") || tree.has("extends")) {
            // A grid: every cell must be a valid run.
            for (Cell cell : GridLoader.cells(GridLoader.load(file, List.of()))) {
                validate(file, cell.config());
            }
            return;
        }
        RunConfig run = ConfigLoader.loadRun(file);
        validate(file, run);
    }

    private static void validate(Path file, RunConfig run) {
        MethodSet.forRun(run, DistillerRegistry.fromClasspath(), file);
        if (!ModelZoo.contains(run.student().model())) {
            throw new AssertionError(file + ": unknown student model");
        }
        if (run.teacher() != null && run.teacher().savedModel() != null) {
            Path savedModel = root().resolve(run.teacher().savedModel().dir()).resolve("saved_model.pb");
            if (!Files.isRegularFile(savedModel)) {
                throw new AssertionError(file + ": no SavedModel at " + savedModel);
            }
        } else if (run.teacher() != null && !ModelZoo.contains(run.teacher().model())) {
            throw new AssertionError(file + ": unknown teacher model");
        }
    }
}
