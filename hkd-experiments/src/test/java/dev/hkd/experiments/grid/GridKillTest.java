package dev.hkd.experiments.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hkd.experiments.run.RunOptions;
import dev.hkd.experiments.train.EpochRecord;
import dev.hkd.experiments.train.MetricsLog;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A runner killed with SIGKILL in the middle of a cell loses no logged epoch and duplicates none. */
class GridKillTest {

    @TempDir
    Path dir;

    @Test
    void aKilledWorkerLeavesCellsThatResumeToExactlyOneRecordPerEpoch() throws Exception {
        Path grid = dir.resolve("grid.yaml");
        Files.writeString(grid, """
                base:
                  seed: 1
                  data: {dataset: fashion-mnist-subset, train_limit: 512}
                  student: {model: fmnist_cnn}
                  method: {name: vanilla}
                  training: {schedule: {epochs: 3, milestones: []}, batch_size: 32}
                  checkpoint_every_steps: 2
                trials: 2
                output: %s
                """.formatted(dir.resolve("out")));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dai.djl.offline=true",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "dev.hkd.experiments.cli.Hkd", "run", grid.toString(), "--worker"));
        Process worker = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("worker.log").toFile()).start();
        List<Cell> cells = GridLoader.cells(GridLoader.load(grid, List.of()));
        Path firstMetrics = cells.get(0).folder().resolve("metrics.jsonl");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline && !(Files.isRegularFile(firstMetrics) && Files.size(firstMetrics) > 0)) {
            Thread.sleep(50);
        }
        Thread.sleep(300);
        worker.destroyForcibly();
        worker.waitFor();
        assertTrue(Files.isRegularFile(firstMetrics), "the worker never finished an epoch: " + Files.readString(dir.resolve("worker.log")));
        assertTrue(!Files.isRegularFile(cells.get(1).folder().resolve("result.json")), "killed too late to test anything");

        GridRunner.runAll(GridLoader.load(grid, List.of()), cells,
                RunOptions.defaults(new PrintStream(OutputStream.nullOutputStream())).withCacheDir(dir.resolve("cache")));
        for (Cell c : cells) {
            List<EpochRecord> epochs = new MetricsLog(c.folder().resolve("metrics.jsonl")).read();
            assertEquals(List.of(1, 2, 3), epochs.stream().map(EpochRecord::epoch).toList(), c.describe());
            assertTrue(Files.isRegularFile(c.folder().resolve("result.json")));
        }
    }
}
