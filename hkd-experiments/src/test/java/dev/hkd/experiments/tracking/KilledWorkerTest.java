package dev.hkd.experiments.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hkd.runner.grid.Cell;
import dev.hkd.runner.grid.GridLoader;
import dev.hkd.runner.tracking.EpochMetrics;
import dev.hkd.training.train.EpochRecord;
import dev.hkd.training.train.MetricsLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker killed with SIGKILL in the middle of a cell, then the grid run again: every cell
 * finishes exactly once, and both the local store and MLflow hold each epoch's metrics exactly
 * once — none missing, none duplicated.
 */
class KilledWorkerTest {

    @TempDir
    Path dir;

    @Test
    void aKilledCellResumesAndEveryEpochIsLoggedExactlyOnce() throws Exception {
        String uri = RealServices.mlflow();
        String name = "kill-" + UUID.randomUUID().toString().substring(0, 8);
        Path grid = Files.writeString(dir.resolve("grid.yaml"), """
                name: %s
                base:
                  seed: 1
                  data: {dataset: fashion-mnist-subset, train_limit: 512}
                  student: {model: fmnist_cnn}
                  method: {name: vanilla}
                  training: {schedule: {epochs: 3, milestones: []}, batch_size: 32}
                  checkpoint_every_steps: 2
                trials: 2
                output: %s
                """.formatted(name, dir.resolve("out")));
        Map<String, String> env = Map.of("HKD_CACHE_DIR", dir.resolve("cache").toString(), "MLFLOW_TRACKING_URI", uri);
        Path firstLog = dir.resolve("killed.log");
        Process worker = HkdChild.start(firstLog, env, "run", grid.toString());
        List<Cell> cells = GridLoader.cells(GridLoader.load(grid, List.of()));
        Path firstMetrics = cells.get(0).folder().resolve("metrics.jsonl");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline && !(Files.isRegularFile(firstMetrics) && Files.size(firstMetrics) > 0)) {
            Thread.sleep(50);
        }
        Thread.sleep(300);
        worker.destroyForcibly(); // SIGKILL
        worker.waitFor();
        assertTrue(
                Files.isRegularFile(firstMetrics), "the worker never finished an epoch: " + Files.readString(firstLog));
        assertFalse(
                Files.isRegularFile(cells.get(0).folder().resolve("result.json")), "killed too late to test anything");

        Path secondLog = dir.resolve("rerun.log");
        HkdChild.run(secondLog, env, 10, "run", grid.toString());

        String logs = Files.readString(firstLog) + Files.readString(secondLog);
        assertEquals(
                cells.size(),
                logs.lines()
                        .filter(l -> l.startsWith("Finished fmnist_cnn/vanilla"))
                        .count(),
                logs);
        MlflowRest rest = new MlflowRest(uri);
        List<JsonNode> runs = rest.runs(name);
        assertEquals(cells.size(), runs.size(), "one MLflow run per cell");
        for (Cell c : cells) {
            List<EpochRecord> epochs = new MetricsLog(c.folder().resolve("metrics.jsonl")).read();
            assertEquals(
                    List.of(1, 2, 3), epochs.stream().map(EpochRecord::epoch).toList(), c.describe());
            assertTrue(Files.isRegularFile(c.folder().resolve("result.json")));
            JsonNode run = runs.stream()
                    .filter(r -> c.hash().equals(MlflowRest.pairs(r, "tags").get("hkd.config_hash")))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no MLflow run for " + c.describe()));
            assertEquals("FINISHED", run.path("info").path("status").asText());
            String id = run.path("info").path("run_id").asText();
            for (String metric : EpochMetrics.of(epochs.get(0)).keySet()) {
                List<Long> steps = rest.steps(id, metric).stream().sorted().toList();
                assertEquals(List.of(1L, 2L, 3L), steps, metric + " of " + c.describe());
            }
        }
    }
}
