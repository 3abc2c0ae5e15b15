package dev.hkd.runner.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hkd.runner.report.AccuracyPlots;
import dev.hkd.runner.report.FinishedRun;
import dev.hkd.runner.report.Report;
import dev.hkd.runner.report.RunStore;
import dev.hkd.runner.run.RunOptions;
import dev.hkd.training.config.ConfigException;
import dev.hkd.training.train.MetricsLog;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GridTest {

    @TempDir
    Path dir;

    private Path write(String name, String yaml) throws Exception {
        return Files.writeString(dir.resolve(name), yaml);
    }

    private Path tinyGrid(String methods, int trials) throws Exception {
        write("base.yaml", """
                base:
                  seed: 1
                  data: {dataset: fashion-mnist-subset, train_limit: 128}
                  teacher: {model: fmnist_cnn, training: {schedule: {epochs: 1, milestones: []}, batch_size: 64}}
                  student: {model: fmnist_cnn}
                  training: {schedule: {epochs: 1, milestones: []}, batch_size: 64}
                  eval_batch_size: 500
                """);
        return write("grid.yaml", """
                extends: base.yaml
                name: tiny
                sweep:
                  method.name: [%s]
                trials: %d
                output: %s
                """.formatted(methods, trials, dir.resolve("out")));
    }

    @Test
    void cellsAreTheZipTimesTheSweepTimesTrialsWithDistinctHashes() throws Exception {
        Path grid = write("g.yaml", """
                base: {seed: 10, student: {model: fmnist_cnn}, teacher: {model: fmnist_resnet}}
                zip:
                  - {student.model: [fmnist_cnn, tiny_cnn], training.batch_size: [32, 64]}
                sweep:
                  method.name: [vanilla, kd, crd+kd]
                trials: 2
                """);
        List<Cell> cells = GridLoader.cells(GridLoader.load(grid, List.of()));
        assertEquals(2 * 3 * 2, cells.size());
        assertEquals("tiny_cnn", cells.get(6).config().student().model());
        assertEquals(64, cells.get(6).config().training().batchSize(), "zipped axes vary together");
        assertEquals(10L, cells.get(0).config().seed());
        assertEquals(11L, cells.get(1).config().seed(), "trials are consecutive seeds");
        assertEquals(cells.size(), cells.stream().map(Cell::hash).distinct().count());
        List<Cell> again = GridLoader.cells(GridLoader.load(grid, List.of()));
        assertEquals(cells.get(5).hash(), again.get(5).hash(), "the hash is canonical");
        List<Cell> changed = GridLoader.cells(GridLoader.load(grid, List.of("training.optimizer.lr=0.1")));
        assertNotEquals(cells.get(5).hash(), changed.get(5).hash());
    }

    @Test
    void extendsMergesAndTheFileWins() throws Exception {
        Path grid = tinyGrid("kd", 1);
        Grid g = GridLoader.load(grid, List.of());
        assertEquals("fmnist_cnn", g.base().path("student").path("model").asText());
        assertEquals(128, GridLoader.cells(g).get(0).config().data().trainLimit());
    }

    @Test
    void badGridsAreOneLineErrorsWithFileLineAndKey() throws Exception {
        Path unknown = write("u.yaml", "base: {student: {model: fmnist_cnn}}\nsweeps:\n  seed: [1]\n");
        ConfigException e = assertThrows(ConfigException.class, () -> GridLoader.load(unknown, List.of()));
        assertTrue(e.getMessage().startsWith(unknown + ":2: sweeps: unknown key"), e.getMessage());
        Path zip = write(
                "z.yaml", "base: {student: {model: fmnist_cnn}}\nzip:\n  - {seed: [1, 2], training.batch_size: [8]}\n");
        ConfigException z = assertThrows(ConfigException.class, () -> GridLoader.load(zip, List.of()));
        assertTrue(z.getMessage().contains("equal length"), z.getMessage());
        Path cell = write("c.yaml", "base: {student: {model: fmnist_cnn}}\nsweep:\n  training.batch_size: [8, lots]\n");
        ConfigException c =
                assertThrows(ConfigException.class, () -> GridLoader.cells(GridLoader.load(cell, List.of())));
        assertTrue(c.getMessage().contains("cell 1") && c.getMessage().contains("batch_size"), c.getMessage());
        for (ConfigException x : List.of(e, z, c)) {
            assertFalse(x.getMessage().contains("\n"));
        }
    }

    @Test
    void rerunningSkipsFinishedCellsAndAClaimedCellIsLeftToItsRunner() throws Exception {
        Path grid = tinyGrid("vanilla, kd", 1);
        Grid g = GridLoader.load(grid, List.of());
        List<Cell> cells = GridLoader.cells(g);
        RunOptions options = RunOptions.defaults(new PrintStream(OutputStream.nullOutputStream()))
                .withCacheDir(dir.resolve("cache"));
        Files.createDirectories(cells.get(1).folder());
        try (FileChannel ch = FileChannel.open(
                        cells.get(1).folder().resolve(".claim"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock held = ch.lock()) {
            assertEquals(
                    List.of(GridRunner.State.RAN, GridRunner.State.CLAIMED_ELSEWHERE),
                    GridRunner.runAll(g, cells, options));
            assertTrue(held.isValid());
        }
        assertEquals(List.of(GridRunner.State.DONE_BEFORE, GridRunner.State.RAN), GridRunner.runAll(g, cells, options));
        assertEquals(
                List.of(GridRunner.State.DONE_BEFORE, GridRunner.State.DONE_BEFORE),
                GridRunner.runAll(g, cells, options));
        for (Cell c : cells) {
            assertEquals(
                    1,
                    new MetricsLog(c.folder().resolve("metrics.jsonl")).read().size(),
                    "each epoch logged exactly once");
        }
        List<Path> plots = AccuracyPlots.write(RunStore.read(dir.resolve("out")), dir.resolve("plots"));
        assertEquals(1, plots.size());
        byte[] png = Files.readAllBytes(plots.get(0));
        assertTrue(png.length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "a PNG file");
    }

    @Test
    void aDivergedCellIsRecordedAndTheOtherCellsGoOn() throws Exception {
        Path grid = write("diverge.yaml", """
                base:
                  seed: 1
                  data: {dataset: fashion-mnist-subset, train_limit: 256}
                  student: {model: fmnist_cnn}
                  method: {name: vanilla}
                  training: {schedule: {epochs: 1, milestones: []}, batch_size: 64}
                sweep:
                  training.optimizer.lr: [1.0e+12, 0.05]
                output: %s
                """.formatted(dir.resolve("diverge")));
        Grid g = GridLoader.load(grid, List.of());
        List<Cell> cells = GridLoader.cells(g);
        RunOptions options = RunOptions.defaults(new PrintStream(OutputStream.nullOutputStream()));
        assertEquals(List.of(GridRunner.State.DIVERGED, GridRunner.State.RAN), GridRunner.runAll(g, cells, options));
        assertTrue(
                Files.readString(cells.get(0).folder().resolve("failed.json")).contains("loss became"));
        assertEquals(
                List.of(GridRunner.State.DIVERGED_BEFORE, GridRunner.State.DONE_BEFORE),
                GridRunner.runAll(g, cells, options));
        List<FinishedRun> runs = RunStore.read(dir.resolve("diverge"));
        assertEquals(1, runs.stream().filter(FinishedRun::diverged).count());
        Report r = Report.of(List.of(
                new FinishedRun("kd", "t", "s", 80, 80, List.of(80.0)),
                FinishedRun.diverged("kd", "t", "s", List.of()),
                FinishedRun.diverged("pkt", "t", "s", List.of())));
        String md = r.format("markdown", false);
        assertTrue(md.contains("| kd | 80.00 ± 0.00 (n=1, 1 diverged) |"), md);
        assertTrue(md.contains("| pkt | diverged (1) |"), md);
    }
}
