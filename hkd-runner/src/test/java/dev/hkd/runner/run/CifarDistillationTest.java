package dev.hkd.runner.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hkd.training.config.ConfigLoader;
import dev.hkd.training.config.RunConfig;
import dev.hkd.training.data.CifarTest;
import dev.hkd.training.train.EpochRecord;
import dev.hkd.training.train.MetricsLog;
import dev.hkd.training.train.RunCost;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The paper's first pair, resnet32x4 → resnet8x4 with HKD+KD, on a tiny CIFAR-100-format file. */
class CifarDistillationTest {

    @TempDir
    Path dir;

    @Test
    void twoStepsOfHkdPlusKdFromResnet32x4ToResnet8x4() throws Exception {
        CifarTest.writeCifar100(dir.resolve("data"), 16, 8);
        Path yaml = Files.writeString(dir.resolve("run.yaml"), """
                seed: 5
                data: {dataset: cifar100, dir: %s, augment: crop-flip}
                teacher:
                  model: resnet32x4
                  training: {schedule: {epochs: 1, milestones: []}, batch_size: 8}
                student: {model: resnet8x4}
                method:
                  name: hkd+kd
                  options: {hkd: {nce_k: 8, feat_dim: 16}}
                training: {schedule: {epochs: 1, milestones: []}, batch_size: 8}
                eval_batch_size: 8
                output: %s
                """.formatted(dir.resolve("data"), dir.resolve("run")));
        RunConfig config = ConfigLoader.loadRun(yaml);
        RunOptions options = RunOptions.defaults(new PrintStream(java.io.OutputStream.nullOutputStream()))
                .withCacheDir(dir.resolve("cache"));
        TrainingRun.Outcome outcome = TrainingRun.execute(config, yaml, options);
        assertEquals("resnet8x4", outcome.model());
        List<EpochRecord> epochs = new MetricsLog(dir.resolve("run/metrics.jsonl")).read();
        assertEquals(1, epochs.size());
        EpochRecord e = epochs.get(0);
        assertTrue(
                e.trainLoss().keySet().containsAll(List.of("ce", "kd", "hkd.ind", "hkd.graph")),
                e.trainLoss().toString());
        assertTrue(
                e.trainLoss().values().stream().allMatch(Double::isFinite),
                e.trainLoss().toString());
        assertTrue(Double.isFinite(e.testTop1()));
        // What it cost: HKD's embedding heads and GNN are the parameters it adds; two steps timed.
        RunCost cost = outcome.cost();
        assertTrue(cost.extraParameters() > 0, cost.toString());
        assertTrue(cost.msPerStep() > 0 && cost.imagesPerSecond() > 0 && cost.peakRssMiB() > 0, cost.toString());
        assertTrue(cost.wallSeconds() >= e.seconds() && cost.teacherStageSeconds() == 0, cost.toString());
        assertEquals(
                cost,
                new com.fasterxml.jackson.databind.ObjectMapper()
                        .treeToValue(
                                new com.fasterxml.jackson.databind.ObjectMapper()
                                        .readTree(dir.resolve("run/result.json").toFile())
                                        .get("cost"),
                                RunCost.class));
        // KD adds nothing.
        Files.writeString(
                yaml,
                Files.readString(yaml)
                        .replace("name: hkd+kd", "name: kd")
                        .replace("  options: {hkd: {nce_k: 8, feat_dim: 16}}\n", "")
                        .replace(
                                dir.resolve("run").toString(),
                                dir.resolve("alone").toString()));
        assertEquals(
                0,
                TrainingRun.execute(ConfigLoader.loadRun(yaml), yaml, options)
                        .cost()
                        .extraParameters());
    }
}
