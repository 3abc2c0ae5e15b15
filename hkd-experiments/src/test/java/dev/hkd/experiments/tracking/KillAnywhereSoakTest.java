package dev.hkd.experiments.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hkd.runner.tracking.EpochMetrics;
import dev.hkd.training.train.EpochRecord;
import dev.hkd.training.train.MetricsLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 at any moment loses nothing. One run on the Fashion-MNIST subset — its teacher trained
 * first in the same process, checkpoints every 3 steps, tracked to a real MLflow server — is killed
 * with SIGKILL ten times and resumed each time: during the teacher's training, in the middle of a
 * checkpoint write, in the middle of a metrics append, before random steps and at random
 * wall-clock moments. Afterwards its {@code metrics.jsonl} and {@code result.json} equal those of
 * the same run uninterrupted, bit for bit (timings aside), no epoch line is missing or repeated,
 * and MLflow holds every metric exactly once. The schedule's seed is printed;
 * {@code HKD_SOAK_SEED=<seed>} replays it.
 */
class KillAnywhereSoakTest {

    @TempDir
    Path dir;

    @Test
    void tenKillsAtAnyMomentLoseAndRepeatNothing() throws Exception {
        long seed = SoakKills.seed("KillAnywhereSoakTest");
        Random random = new Random(seed);
        Path config = Files.writeString(dir.resolve("run.yaml"), """
                seed: 4
                data: {dataset: fashion-mnist-subset, augment: crop-flip, train_limit: 1280}
                teacher:
                  model: tiny_cnn
                  training: {schedule: {epochs: 2}, batch_size: 64}
                student: {model: fmnist_cnn}
                method: {name: kd}
                training: {schedule: {epochs: 5, milestones: [4]}, batch_size: 32}
                checkpoint_every_steps: 3
                """);
        Path uninterrupted = dir.resolve("uninterrupted");
        HkdChild.run(
                dir.resolve("uninterrupted.log"),
                Map.of("HKD_CACHE_DIR", dir.resolve("cache-a").toString()),
                10,
                "train",
                config.toString(),
                "--set",
                "output=" + uninterrupted);

        String uri = RealServices.mlflow();
        String experiment = "soak-" + UUID.randomUUID().toString().substring(0, 8);
        Path killed = dir.resolve("killed");
        Path log = dir.resolve("killed.log");
        Map<String, String> env =
                new HashMap<>(Map.of("HKD_CACHE_DIR", dir.resolve("cache-b").toString()));
        String[] args = {
            "train", config.toString(), "--set", "output=" + killed, "--tracking-uri", uri, "--experiment", experiment
        };

        // 240 steps in all: the teacher's 2 × 20 first, then the student's 5 × 40. The first kill falls
        // inside the teacher's training; together the kills can never carry the run to its end.
        // "wall#N": N ms after the process starts training (teacher or student), wherever it is then.
        // "metrics-append:killed#1" is the student's own metrics file; the unqualified points may fall in the teacher's
        // run.
        List<String> kills = List.of(
                "checkpoint-write#" + (1 + random.nextInt(3)),
                "metrics-append:killed#1",
                "metrics-append#1",
                "step#" + (2 + random.nextInt(11)),
                "step#" + (2 + random.nextInt(11)),
                "step#" + (2 + random.nextInt(11)),
                "wall#" + random.nextInt(400),
                "wall#" + random.nextInt(400),
                "wall#" + random.nextInt(400));
        List<String> done = SoakKills.killThenFinish(kills, random, log, env, args, 3, 10, seed);
        assertEquals(10, done.size());

        SoakKills.assertSameRun(uninterrupted, killed, "after the kills " + done + " (seed " + seed + ")");
        SoakKills.assertSameRun(
                onlyTeacher(dir.resolve("cache-a")),
                onlyTeacher(dir.resolve("cache-b")),
                "the teacher (seed " + seed + ")");
        List<EpochRecord> epochs = new MetricsLog(killed.resolve("metrics.jsonl")).read();
        assertEquals(
                List.of(1, 2, 3, 4, 5),
                epochs.stream().map(EpochRecord::epoch).toList(),
                "epoch lines (seed " + seed + ")");

        // What a tracker sent before a kill is never sent again; a last sync completes it.
        HkdChild.run(dir.resolve("sync.log"), Map.of(), 5, "sync", killed.toString(), "--tracking-uri", uri);
        MlflowRest rest = new MlflowRest(uri);
        List<JsonNode> runs = rest.runs(experiment);
        assertEquals(1, runs.size(), "one MLflow run for the killed and resumed run");
        assertEquals("FINISHED", runs.get(0).path("info").path("status").asText());
        String id = runs.get(0).path("info").path("run_id").asText();
        for (String key : EpochMetrics.of(epochs.get(0)).keySet()) {
            assertEquals(
                    LongStream.rangeClosed(1, 5).boxed().toList(),
                    rest.steps(id, key).stream().sorted().toList(),
                    key + " in MLflow (seed " + seed + ")");
        }
    }

    private static Path onlyTeacher(Path cache) throws Exception {
        try (var runs = Files.list(cache.resolve("teachers"))) {
            List<Path> all = runs.filter(Files::isDirectory).toList();
            assertEquals(1, all.size(), all.toString());
            return all.get(0);
        }
    }
}
