package dev.hkd.experiments.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 2 methods × 2 trials grid on the Fashion-MNIST subset, run by {@code hkd run} through the
 * local executor with two workers and through a real Slurm job array, logs to a real MLflow
 * server: one experiment per grid, four FINISHED runs with the flattened configuration, per-epoch
 * metrics, provenance tags and artifacts; no credential reaches a log, a param or a file.
 */
class GridTrackingTest {

    private static final String SECRET = "hkd-test-secret-" + UUID.randomUUID();

    @TempDir
    Path dir;

    private Path grid(String name) throws Exception {
        return Files.writeString(dir.resolve(name + ".yaml"), """
                name: %s
                base:
                  seed: 1
                  data: {dataset: fashion-mnist-subset, train_limit: 1000}
                  teacher: {model: tiny_cnn, training: {schedule: {epochs: 1, milestones: []}}}
                  student: {model: fmnist_cnn}
                  training: {schedule: {epochs: 1, milestones: []}, batch_size: 100}
                sweep:
                  method.name: [vanilla, kd]
                trials: 2
                output: %s
                slurm: {cpus_per_task: 1, time: "00:30:00", poll_seconds: 1}
                """.formatted(name, dir.resolve("out-" + name)));
    }

    @Test
    void twoLocalWorkersLogFourFinishedRunsToMlflow() throws Exception {
        String uri = RealServices.mlflow();
        String name = "local-" + UUID.randomUUID().toString().substring(0, 8);
        Path log = dir.resolve("run.log");
        HkdChild.run(
                log,
                Map.of("HKD_CACHE_DIR", dir.resolve("cache").toString(), "MLFLOW_TRACKING_TOKEN", SECRET),
                10,
                "run",
                grid(name).toString(),
                "--workers",
                "2",
                "--tracking-uri",
                uri);
        assertFourFinishedRuns(new MlflowRest(uri), name);
        assertNoSecretIn(log, dir.resolve("out-" + name));

        Path report = dir.resolve("report.log");
        HkdChild.run(
                report,
                Map.of("MLFLOW_TRACKING_URI", uri),
                5,
                "report",
                "--mlflow-experiment",
                name,
                "--plots",
                dir.resolve("plots").toString());
        String table = Files.readString(report);
        assertTrue(table.matches("(?s).*\\| kd \\| \\d+\\.\\d\\d ± \\d+\\.\\d\\d \\(n=2\\) \\|.*"), table);
        assertTrue(table.matches("(?s).*\\| vanilla \\| \\d+\\.\\d\\d ± \\d+\\.\\d\\d \\(n=2\\) \\|.*"), table);
        assertTrue(Files.isRegularFile(dir.resolve("plots/tiny_cnn-to-fmnist_cnn.png")), table);
    }

    @Test
    void aSlurmJobArrayLogsFourFinishedRunsToMlflow() throws Exception {
        String uri = RealServices.mlflow();
        String slurmConf = RealServices.slurm();
        String name = "slurm-" + UUID.randomUUID().toString().substring(0, 8);
        Path log = dir.resolve("run.log");
        HkdChild.run(
                log,
                Map.of(
                        "HKD_CACHE_DIR",
                        dir.resolve("cache").toString(),
                        "SLURM_CONF",
                        slurmConf,
                        "MLFLOW_TRACKING_URI",
                        uri,
                        "MLFLOW_TRACKING_TOKEN",
                        SECRET),
                15,
                "run",
                grid(name).toString(),
                "--executor",
                "slurm");
        String out = Files.readString(log);
        assertTrue(out.contains("submitted Slurm job array"), out);
        assertTrue(out.contains("4/4 cells finished"), out);
        assertFourFinishedRuns(new MlflowRest(uri), name);
        assertNoSecretIn(log, dir.resolve("out-" + name));
    }

    private static void assertFourFinishedRuns(MlflowRest rest, String experiment) {
        List<JsonNode> runs = rest.runs(experiment);
        assertEquals(4, runs.size(), "runs of experiment " + experiment);
        Set<String> hashes = new HashSet<>();
        Set<String> cells = new HashSet<>();
        for (JsonNode run : runs) {
            String id = run.path("info").path("run_id").asText();
            assertEquals("FINISHED", run.path("info").path("status").asText(), id);
            Map<String, String> params = MlflowRest.pairs(run, "params");
            Map<String, String> tags = MlflowRest.pairs(run, "tags");
            cells.add(params.get("method.name") + "/" + params.get("seed"));
            assertEquals("fmnist_cnn", params.get("student.model"));
            assertEquals("0.05", params.get("training.optimizer.lr"));
            for (String tag : List.of(
                    "hkd.config_hash",
                    "hkd.git_commit",
                    "hkd.host",
                    "hkd.djl_version",
                    "hkd.engine",
                    "hkd.dataset_fingerprint")) {
                assertFalse(tags.getOrDefault(tag, "").isBlank(), tag + " of " + id + ": " + tags);
            }
            assertTrue(tags.get("hkd.engine").startsWith("PyTorch"), tags.get("hkd.engine"));
            hashes.add(tags.get("hkd.config_hash"));
            Stream.concat(params.values().stream(), tags.values().stream())
                    .forEach(v -> assertFalse(v.contains(SECRET), "a credential in a param or tag of " + id));
            for (String metric : List.of(
                    "train_loss",
                    "loss_ce",
                    "train_top1",
                    "train_top5",
                    "test_top1",
                    "test_top5",
                    "lr",
                    "images_per_s",
                    "ms_per_step",
                    "peak_rss_mib",
                    "epoch_wall_seconds")) {
                assertEquals(List.of(1L), rest.steps(id, metric), metric + " of " + id);
            }
            // What the run cost, once it finished, at its last epoch.
            for (String metric : List.of(
                    "cost_extra_parameters",
                    "cost_ms_per_step",
                    "cost_images_per_s",
                    "cost_peak_rss_mib",
                    "cost_wall_seconds",
                    "cost_teacher_stage_seconds")) {
                assertEquals(List.of(1L), rest.steps(id, metric), metric + " of " + id);
            }
            if ("kd".equals(params.get("method.name"))) {
                assertEquals(List.of(1L), rest.steps(id, "loss_kd"), "loss_kd of " + id);
            }
            assertTrue(
                    rest.artifacts(id).containsAll(List.of("config.yaml", "metrics.jsonl", "result.json")),
                    rest.artifacts(id).toString());
        }
        assertEquals(Set.of("vanilla/1", "vanilla/2", "kd/1", "kd/2"), cells);
        assertEquals(4, hashes.size());
    }

    private static void assertNoSecretIn(Path log, Path output) throws Exception {
        assertFalse(Files.readString(log).contains(SECRET), "the token appears in the output");
        try (Stream<Path> files = Files.walk(output)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertFalse(
                        new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1)
                                .contains(SECRET),
                        "token in " + f);
            }
        }
    }
}
