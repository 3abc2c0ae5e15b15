package dev.hkd.experiments.grid;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hkd.experiments.cli.HkdLauncher;
import dev.hkd.runner.grid.Cell;
import dev.hkd.runner.grid.Grid;
import dev.hkd.runner.grid.GridLoader;
import dev.hkd.runner.grid.SlurmExecutor;
import dev.hkd.training.config.ConfigException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job array a grid becomes: one task per unfinished cell, resources from the grid file. */
class SlurmExecutorTest {

    @TempDir
    Path dir;

    private Grid grid(String slurm) throws Exception {
        Path file = Files.writeString(dir.resolve("grid.yaml"), """
                name: my grid
                base: {seed: 1, student: {model: fmnist_cnn}, method: {name: vanilla}}
                trials: 3
                output: %s
                slurm: %s
                """.formatted(dir.resolve("out"), slurm));
        return GridLoader.load(file, List.of());
    }

    @Test
    void theScriptRunsEachUnfinishedCellWithTheGridsResources() throws Exception {
        Grid g = grid("{partition: gpu, cpus_per_task: 4, mem: 8G, time: \"02:00:00\", max_parallel: 2}");
        List<Cell> cells = GridLoader.cells(g);
        Files.createDirectories(cells.get(1).folder());
        Files.writeString(cells.get(1).folder().resolve("result.json"), "{}");
        String script = Files.readString(new SlurmExecutor(g, cells, new PrintStream(OutputStream.nullOutputStream()))
                .writeScript(new HkdLauncher(List.of("--set", "training.batch_size=32"))));
        assertTrue(script.contains("#SBATCH --array=0,2%2\n"), script);
        assertTrue(script.contains("#SBATCH --cpus-per-task=4\n"), script);
        assertTrue(script.contains("#SBATCH --partition=gpu\n"), script);
        assertTrue(script.contains("#SBATCH --mem=8G\n"), script);
        assertTrue(script.contains("#SBATCH --time=02:00:00\n"), script);
        assertTrue(script.contains("#SBATCH --job-name=hkd-my-grid\n"), script);
        assertTrue(script.contains("-Dai.djl.pytorch.num_threads=4"), script);
        assertTrue(
                script.contains("'run' '" + g.file().toAbsolutePath()
                        + "' '--set' 'training.batch_size=32' '--cell' \"$SLURM_ARRAY_TASK_ID\""),
                script);
    }

    @Test
    void nothingIsSubmittedWhenEveryCellIsFinished() throws Exception {
        Grid g = grid("{}");
        List<Cell> cells = GridLoader.cells(g);
        for (Cell c : cells) {
            Files.createDirectories(c.folder());
            Files.writeString(c.folder().resolve("result.json"), "{}");
        }
        assertNull(new SlurmExecutor(g, cells, new PrintStream(OutputStream.nullOutputStream()))
                .writeScript(new HkdLauncher(List.of())));
    }

    @Test
    void anUnknownOrMalformedSlurmKeyNamesFileLineAndKey() throws Exception {
        ConfigException e = assertThrows(ConfigException.class, () -> grid("{cpus: 4}"));
        assertTrue(
                e.getMessage()
                        .matches(".*grid\\.yaml:5: slurm\\.cpus: unknown key; valid keys: partition, cpus_per_task.*"),
                e.getMessage());
        e = assertThrows(ConfigException.class, () -> grid("{cpus_per_task: two}"));
        assertTrue(
                e.getMessage()
                        .contains(
                                "slurm.cpus_per_task: 'two' is not what Slurm accepts here; expected an integer from 1"),
                e.getMessage());
    }
}
