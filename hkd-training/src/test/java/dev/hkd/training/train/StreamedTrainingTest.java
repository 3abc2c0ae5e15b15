package dev.hkd.training.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.hkd.training.config.DataConfig;
import dev.hkd.training.config.MethodConfig;
import dev.hkd.training.config.OptimizerConfig;
import dev.hkd.training.config.ScheduleConfig;
import dev.hkd.training.config.TrainingConfig;
import dev.hkd.training.data.Augmentation;
import dev.hkd.training.data.DataException;
import dev.hkd.training.data.ImageFolderFixture;
import dev.hkd.training.data.RunData;
import dev.hkd.training.io.RunFolder;
import dev.hkd.training.methods.DistillerRegistry;
import dev.hkd.training.methods.MethodSet;
import dev.hkd.training.models.FeatureNetwork;
import dev.hkd.training.models.ModelZoo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * KD on streamed ImageNet- and Tiny-ImageNet-layout folders at 64×64 (resnet8, a CIFAR model with
 * adaptive pooling, until the ImageNet ResNets land): the loss falls, the batches do not depend
 * on the number of decode threads, a run resumed mid-epoch is the uninterrupted run, and an
 * unreadable file stops the run with one line while the last checkpoint stays.
 */
class StreamedTrainingTest {

    @TempDir
    static Path data;

    @TempDir
    Path runs;

    @BeforeAll
    static void writeFolders() throws IOException {
        ImageFolderFixture.imageNet(data.resolve("imagenet"), 4, 8, 2);
        ImageFolderFixture.tinyImageNet(data.resolve("tiny"), 4, 8, 2);
    }

    private static Trainer trainer(NDManager m, RunData d, Path out, int epochs, TrainerFixture.StepLog log) {
        Engines.seed(3);
        FeatureNetwork student = ModelZoo.create("resnet8", d.train().numClasses());
        student.initialize(m, DataType.FLOAT32, new Shape(1).addAll(d.train().imageShape()));
        Engines.seed(4);
        FeatureNetwork teacher = ModelZoo.create("resnet8", d.train().numClasses());
        teacher.initialize(m, DataType.FLOAT32, new Shape(1).addAll(d.train().imageShape()));
        teacher.freeze();
        MethodSet method = MethodSet.build(new MethodConfig("kd", null, null), DistillerRegistry.fromClasspath(), null);
        try (NDManager s = m.newSubManager()) {
            StepAssembly.prepare(
                    method,
                    m,
                    student,
                    teacher,
                    d.test().images(s, new int[] {0, 1}, Augmentation.NONE, null),
                    d.train().numClasses(),
                    d.train().size());
        }
        TrainingConfig training = new TrainingConfig(
                new OptimizerConfig(0.05, 0.9, 5e-4, false), new ScheduleConfig(epochs, List.of(), 0.1), 8);
        return new Trainer(new Trainer.Setup(
                m,
                new Networks(student, teacher),
                method,
                null,
                d,
                new Trainer.Recipe(training, 7, 16, 0),
                new Trainer.Output(new RunFolder(out), log)));
    }

    private static RunData imageNet(int workers) {
        return RunData.load(
                new DataConfig(
                        "imagenet", data.resolve("imagenet").toString(), null, null, null, 64, workers, null, null),
                null,
                Map.of());
    }

    private static double mean(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    @Test
    void kdOnBothLayoutsLowersTheLoss() {
        RunData tiny = RunData.load(
                new DataConfig("tiny-imagenet", data.resolve("tiny").toString(), null, null, null, 64, 2, null, null),
                null,
                Map.of());
        for (RunData d : List.of(imageNet(2), tiny)) {
            TrainerFixture.StepLog log = new TrainerFixture.StepLog();
            try (NDManager m = Engines.training().newBaseManager()) {
                Trainer.Result r = trainer(m, d, runs.resolve(d.train().name().substring(0, 4)), 4, log)
                        .run();
                assertTrue(r.finished());
            }
            assertTrue(
                    log.steps.get(0).keySet().containsAll(List.of("loss", "ce", "kd")),
                    log.steps.get(0).toString());
            List<Double> loss = log.series("loss");
            assertEquals(16, loss.size());
            double first = mean(loss.subList(0, 4));
            double last = mean(loss.subList(12, 16));
            assertTrue(
                    last < 0.9 * first,
                    d.train().name() + ": loss " + first + " -> " + last + "; " + loss + " ce " + log.series("ce"));
        }
    }

    @Test
    void oneAndThreeDecodeThreadsTrainIdenticallyAndAResumeMidEpochContinuesExactly() {
        TrainerFixture.StepLog one = new TrainerFixture.StepLog();
        try (NDManager m = Engines.training().newBaseManager()) {
            trainer(m, imageNet(1), runs.resolve("one"), 2, one).run();
        }
        TrainerFixture.StepLog three = new TrainerFixture.StepLog();
        try (NDManager m = Engines.training().newBaseManager()) {
            trainer(m, imageNet(3), runs.resolve("three"), 2, three).run();
        }
        assertEquals(8, one.steps.size());
        assertEquals(one.steps, three.steps, "1 and 3 decode threads give other batches");

        Path resumed = runs.resolve("resumed");
        TrainerFixture.StepLog before = new TrainerFixture.StepLog();
        try (NDManager m = Engines.training().newBaseManager()) {
            Trainer.Result partial =
                    trainer(m, imageNet(2), resumed, 2, before).run(2); // stops at step 2 of 4 in epoch 1
            assertFalse(partial.finished());
        }
        TrainerFixture.StepLog after = new TrainerFixture.StepLog();
        try (NDManager m = Engines.training().newBaseManager()) {
            trainer(m, imageNet(2), resumed, 2, after).run();
        }
        assertEquals(one.steps.subList(0, 2), before.steps);
        assertEquals(one.steps.subList(2, 8), after.steps, "the resumed run differs from the uninterrupted one");
        assertEquals(
                new MetricsLog(runs.resolve("one/metrics.jsonl")).read().get(1).testTop1(),
                new MetricsLog(resumed.resolve("metrics.jsonl")).read().get(1).testTop1());
    }

    @Test
    void aTruncatedJpegStopsTheRunInOneLineAndKeepsTheLastCheckpoint() throws IOException {
        Path folder = runs.resolve("bad-data");
        ImageFolderFixture.imageNet(folder, 2, 8, 1);
        Path victim = folder.resolve("train")
                .resolve(ImageFolderFixture.wnid(1))
                .resolve(ImageFolderFixture.wnid(1) + "_3.JPEG");
        byte[] good = Files.readAllBytes(victim);
        DataConfig config = new DataConfig("imagenet", folder.toString(), null, null, null, 64, 2, null, null);
        Path out = runs.resolve("bad-run");
        try (NDManager m = Engines.training().newBaseManager()) {
            trainer(m, RunData.load(config, null, Map.of()), out, 2, new TrainerFixture.StepLog())
                    .run(); // writes last.safetensors
        }
        byte[] checkpoint = Files.readAllBytes(out.resolve("last.safetensors"));
        Files.write(victim, java.util.Arrays.copyOf(good, good.length / 2));
        try (NDManager m = Engines.training().newBaseManager()) {
            // One more epoch reads every file again.
            Trainer t = trainer(m, RunData.load(config, null, Map.of()), out, 3, new TrainerFixture.StepLog());
            DataException e = assertThrows(DataException.class, t::run);
            assertTrue(e.getMessage().startsWith(victim + ": truncated"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
        }
        assertArrayEquals(
                checkpoint, Files.readAllBytes(out.resolve("last.safetensors")), "the last checkpoint is kept");
        Files.write(victim, good); // the user fixes the file and resumes
        try (NDManager m = Engines.training().newBaseManager()) {
            assertTrue(trainer(m, RunData.load(config, null, Map.of()), out, 3, new TrainerFixture.StepLog())
                    .run()
                    .finished());
        }
    }
}
