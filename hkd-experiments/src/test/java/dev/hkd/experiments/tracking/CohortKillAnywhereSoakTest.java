package dev.hkd.experiments.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hkd.runner.grid.Cell;
import dev.hkd.runner.grid.GridLoader;
import dev.hkd.runner.tracking.EpochMetrics;
import dev.hkd.training.train.EpochRecord;
import dev.hkd.training.train.MetricsLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 at any moment loses nothing in a cohort either. A cohort of three methods (KD, DKD, AT)
 * on the Fashion-MNIST subset, checkpointing every 3 steps and tracked to a real MLflow server, is
 * killed with SIGKILL eight times and resumed each time: in the middle of one member's checkpoint
 * write (so the members resume from different positions and catch up), in the middle of another's
 * metrics append, before random steps and at random wall-clock moments. Afterwards every member's
 * {@code metrics.jsonl} and {@code result.json} equal those of the same cohort uninterrupted (run
 * by {@code hkd run --cohorts}, its cohort in a process of its own), timings aside, no epoch line is
 * missing or repeated, and MLflow holds each member's every metric exactly once. The schedule's
 * seed is printed; {@code HKD_SOAK_SEED=<seed>} replays it.
 */
class CohortKillAnywhereSoakTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path grid(String name, String experimentName) throws Exception {
        return Files.writeString(dir.resolve(name + ".yaml"), """
                name: %s
                base:
                  seed: 4
                  data: {dataset: fashion-mnist-subset, augment: crop-flip, train_limit: 960}
                  teacher:
                    model: tiny_cnn
                    training: {schedule: {epochs: 1, milestones: []}, batch_size: 64}
                  student: {model: fmnist_cnn}
                  training: {schedule: {epochs: 3, milestones: [2]}, batch_size: 32}
                  checkpoint_every_steps: 3
                sweep:
                  method.name: [kd, dkd, at]
                output: %s
                """.formatted(experimentName, dir.resolve(name)));
    }

    @Test
    void eightKillsOfACohortLoseAndRepeatNothingInAnyMember() throws Exception {
        long seed = SoakKills.seed("CohortKillAnywhereSoakTest");
        Random random = new Random(seed);
        Map<String, String> env = Map.of("HKD_CACHE_DIR", dir.resolve("cache").toString());
        Path uninterrupted = grid("uninterrupted", "soak-cohort-a");
        // The teacher is trained here, once, and reused from the cache by the killed cohort.
        HkdChild.run(dir.resolve("uninterrupted.log"), env, 15, "run", uninterrupted.toString(), "--cohorts");
        assertTrue(
                Files.readString(dir.resolve("uninterrupted.log")).contains("(id "),
                "the runner prints the cohort's line");

        String uri = RealServices.mlflow();
        String experiment = "soak-cohort-" + UUID.randomUUID().toString().substring(0, 8);
        Path killedGrid = grid("killed", experiment);
        List<Cell> cells = GridLoader.cells(GridLoader.load(killedGrid, List.of()));
        List<Cell> reference = GridLoader.cells(GridLoader.load(uninterrupted, List.of()));
        String kdFolder = cells.get(0).folder().getFileName().toString();
        String dkdFolder = cells.get(1).folder().getFileName().toString();
        Path log = dir.resolve("killed.log");
        String[] args = {"run", killedGrid.toString(), "--cohort", "0", "--tracking-uri", uri};

        // 3 members × 3 epochs × 30 steps = 270 member steps, more than the kills can carry the cohort; "step#N" counts
        // every member's steps in the process.
        List<String> kills = List.of(
                "checkpoint-write:" + kdFolder + "#" + (1 + random.nextInt(4)),
                "metrics-append:" + dkdFolder + "#1",
                "step#" + (2 + random.nextInt(20)),
                "step#" + (2 + random.nextInt(20)),
                "step#" + (2 + random.nextInt(20)),
                "wall#" + random.nextInt(300),
                "wall#" + random.nextInt(300));
        List<String> done = SoakKills.killThenFinish(kills, random, log, env, args, 5, 15, seed);
        assertEquals(8, done.size());
        HkdChild.run(
                dir.resolve("sync.log"),
                Map.of(),
                5,
                "sync",
                dir.resolve("killed").toString(),
                "--tracking-uri",
                uri);

        MlflowRest rest = new MlflowRest(uri);
        List<JsonNode> runs = rest.runs(experiment);
        assertEquals(3, runs.size(), "one MLflow run per member");
        for (int i = 0; i < cells.size(); i++) {
            Path a = reference.get(i).folder();
            Path b = cells.get(i).folder();
            String what = cells.get(i).config().method().name() + " after the kills " + done + " (seed " + seed + ")";
            SoakKills.assertSameRun(a, b, what);
            List<EpochRecord> epochs = new MetricsLog(b.resolve("metrics.jsonl")).read();
            assertEquals(
                    List.of(1, 2, 3), epochs.stream().map(EpochRecord::epoch).toList(), what + ": epoch lines");
            String runName = b.getFileName().toString();
            JsonNode run = runs.stream()
                    .filter(r -> r.path("info").path("run_name").asText().equals(runName))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no MLflow run named " + runName + ": " + runs));
            assertEquals("FINISHED", run.path("info").path("status").asText(), what);
            String id = run.path("info").path("run_id").asText();
            String cohortId = JSON.readTree(b.resolve("result.json").toFile())
                    .path("cohort")
                    .path("id")
                    .asText();
            assertEquals(8, cohortId.length(), what + ": result.json records the cohort");
            Map<String, String> tags = new java.util.HashMap<>();
            run.path("data")
                    .path("tags")
                    .forEach(t ->
                            tags.put(t.path("key").asText(), t.path("value").asText()));
            assertEquals(cohortId, tags.get("hkd.cohort.id"), what + ": the MLflow run's cohort tag");
            assertEquals("3", tags.get("hkd.cohort.size"), what + ": the MLflow run's cohort size tag");
            for (String key : EpochMetrics.of(epochs.get(0)).keySet()) {
                assertEquals(
                        LongStream.rangeClosed(1, 3).boxed().toList(),
                        rest.steps(id, key).stream().sorted().toList(),
                        key + " in MLflow, " + what);
            }
        }
    }
}
