package dev.hkd.experiments.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
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
 * MLflow stops while a run trains: training goes on, the local store keeps every epoch, and once
 * the server is back {@code ./hkd sync} leaves it with every metric point the local store has —
 * and a second sync sends nothing more.
 */
class ServerOutageTest {

    @TempDir
    Path dir;

    @Test
    void syncAfterAnOutageSendsEveryLocalMetricExactlyOnce() throws Exception {
        Path state = dir.resolve("mlflow");
        int port = RealServices.freePort();
        String uri = RealServices.startMlflow(state, port);
        try {
            Path config = dir.resolve("run.yaml");
            Path output = dir.resolve("out");
            Files.writeString(config, """
                    seed: 3
                    data: {dataset: fashion-mnist-subset, train_limit: 2048}
                    student: {model: fmnist_cnn}
                    method: {name: vanilla}
                    training: {schedule: {epochs: 4, milestones: [3]}, batch_size: 32}
                    output: %s
                    """.formatted(output));
            String experiment = "outage-" + UUID.randomUUID().toString().substring(0, 8);
            Path log = dir.resolve("train.log");
            Process train = HkdChild.start(
                    log, Map.of("MLFLOW_TRACKING_URI", uri), "train", config.toString(), "--experiment", experiment);
            Path metrics = output.resolve("metrics.jsonl");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (System.nanoTime() < deadline
                    && new MetricsLog(metrics).read().isEmpty()) {
                Thread.sleep(50);
            }
            RealServices.stopMlflow(state);
            assertTrue(train.waitFor(10, TimeUnit.MINUTES));
            String out = Files.readString(log);
            assertEquals(0, train.exitValue(), out);
            assertTrue(out.contains("unreachable"), "the outage was not reported: " + out);
            List<EpochRecord> local = new MetricsLog(metrics).read();
            assertEquals(4, local.size());

            RealServices.startMlflow(state, port);
            Path syncLog = dir.resolve("sync.log");
            HkdChild.run(syncLog, Map.of("MLFLOW_TRACKING_URI", uri), 5, "sync", output.toString());
            HkdChild.run(syncLog, Map.of("MLFLOW_TRACKING_URI", uri), 5, "sync", output.toString());
            assertTrue(Files.readString(syncLog).contains("0 metric points sent, FINISHED"), Files.readString(syncLog));

            MlflowRest rest = new MlflowRest(uri);
            List<JsonNode> runs = rest.runs(experiment);
            assertEquals(1, runs.size());
            assertEquals("FINISHED", runs.get(0).path("info").path("status").asText());
            String id = runs.get(0).path("info").path("run_id").asText();
            for (String key : EpochMetrics.of(local.get(0)).keySet()) {
                List<JsonNode> history = rest.history(id, key);
                assertEquals(
                        List.of(1L, 2L, 3L, 4L),
                        history.stream()
                                .map(m -> m.path("step").asLong())
                                .sorted()
                                .toList(),
                        key);
                for (EpochRecord r : local) {
                    double expected = EpochMetrics.of(r).get(key);
                    double logged = history.stream()
                            .filter(m -> m.path("step").asLong() == r.epoch())
                            .findFirst()
                            .orElseThrow()
                            .path("value")
                            .asDouble();
                    assertEquals(
                            expected, logged, 1e-9 * Math.max(1, Math.abs(expected)), key + " at epoch " + r.epoch());
                }
            }
        } finally {
            RealServices.stopMlflow(state);
        }
    }
}
