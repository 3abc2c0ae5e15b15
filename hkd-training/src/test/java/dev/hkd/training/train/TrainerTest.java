package dev.hkd.training.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.hkd.training.config.MethodConfig;
import dev.hkd.training.methods.DistillerRegistry;
import dev.hkd.training.methods.MethodSet;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {

    @TempDir
    Path dir;

    private static double mean(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    @Test
    void twentyStepsOfRealTrainingLowerTheLoss() {
        try (NDManager m = Engines.training().newBaseManager()) {
            TrainerFixture.StepLog log = new TrainerFixture.StepLog();
            Trainer.Result result =
                    TrainerFixture.trainer(m, "vanilla", 640, 7, dir, log, 0).run();
            List<Double> loss = log.series("loss");
            assertEquals(20, loss.size());
            double first = mean(loss.subList(0, 5));
            double last = mean(loss.subList(15, 20));
            assertTrue(last < 0.9 * first, "loss did not fall: first five " + first + ", last five " + last);
            assertTrue(result.finished());
            assertTrue(
                    result.last().testTop1() > 30,
                    "accuracy after 20 steps: " + result.last().testTop1());
        }
    }

    /**
     * A step's recorded time is the whole step: the time its batch and teacher pass took counts, so
     * a cell alone and a cohort member record what the step cost, not the student's part only.
     */
    @Test
    void theStepTimeIncludesMakingTheBatchAndTheTeacherPass() {
        try (NDManager m = Engines.training().newBaseManager()) {
            Trainer trainer = TrainerFixture.trainer(m, "kd", 64, 7, dir, new TrainerFixture.StepLog(), 0);
            trainer.begin();
            while (!trainer.finished()) {
                long at = trainer.position();
                try (NDManager s = m.newSubManager()) {
                    TeacherPass.Batch made = trainer.teacherPass()
                            .batch(s, (int) (at / trainer.stepsPerEpoch()), (int) (at % trainer.stepsPerEpoch()), 32);
                    assertTrue(made.seconds() > 0, "the pass records how long it took");
                    // As if making the batch and the teacher's pass had taken 5 s.
                    trainer.step(new TeacherPass.Batch(
                            made.epoch(), made.step(), made.indices(), made.images(), made.teacher(), 5.0));
                }
            }
            EpochRecord epoch = trainer.result(2).last();
            assertTrue(epoch.seconds() >= 10.0, "two steps of at least 5 s each: " + epoch.seconds());
            assertTrue(epoch.msPerStep() >= 5000.0, "median step: " + epoch.msPerStep());
        }
    }

    @Test
    void kdTrainingLowersTheLossAndLogsEachTerm() {
        try (NDManager m = Engines.training().newBaseManager()) {
            TrainerFixture.StepLog log = new TrainerFixture.StepLog();
            TrainerFixture.trainer(m, "kd", 640, 7, dir, log, 0).run();
            assertTrue(
                    log.steps.get(0).keySet().containsAll(List.of("loss", "ce", "kd")),
                    log.steps.get(0).toString());
            List<Double> loss = log.series("loss");
            assertTrue(mean(loss.subList(15, 20)) < mean(loss.subList(0, 5)), loss.toString());
        }
    }

    @Test
    void hkdAndHkdPlusKdTrainWithFallingLossAndLogBothTerms() {
        for (String method : new String[] {"hkd", "hkd+kd"}) {
            try (NDManager m = Engines.training().newBaseManager()) {
                TrainerFixture.StepLog log = new TrainerFixture.StepLog();
                Trainer.Result result = TrainerFixture.trainer(
                                m, TrainerFixture.hkd(method), 640, 7, dir.resolve(method), log, 0)
                        .run();
                assertTrue(
                        log.steps.get(0).keySet().containsAll(List.of("ce", "hkd.ind", "hkd.graph")),
                        log.steps.get(0).toString());
                List<Double> loss = log.series("loss");
                assertTrue(mean(loss.subList(15, 20)) < mean(loss.subList(0, 5)), method + ": " + loss);
                assertTrue(Double.isFinite(result.last().testTop1()));
            }
        }
    }

    @Test
    void theBaselinesTrainWithFallingLoss() {
        Map<String, MethodConfig> methods = new LinkedHashMap<>();
        methods.put("crd", TrainerFixture.method("crd", "crd", Map.of("nce_k", 256)));
        methods.put("crd+kd", TrainerFixture.method("crd+kd", "crd", Map.of("nce_k", 256, "mode", "relax")));
        methods.put("rkd", new MethodConfig("rkd", null, null));
        methods.put("reviewkd", TrainerFixture.method("reviewkd", "reviewkd", Map.of("warmup_epochs", 0)));
        for (String m : new String[] {"at+kd", "pkt+kd", "sp+kd", "cc+kd", "vid+kd"}) {
            methods.put(m, new MethodConfig(m, null, null));
        }
        methods.put("fitnet+kd", TrainerFixture.method("fitnet+kd", "fitnet", Map.of("hint_layer", 2)));
        methods.put("dkd", TrainerFixture.method("dkd", "dkd", Map.of("warmup_epochs", 1)));
        methods.put(
                "dkd-ls",
                TrainerFixture.method(
                        "dkd", "dkd", Map.of("warmup_epochs", 1, "logit_standardization", true, "temperature", 2.0)));
        methods.put("dist", new MethodConfig("dist", null, null));
        methods.put(
                "kd-ls", TrainerFixture.method("kd", "kd", Map.of("logit_standardization", true, "temperature", 2.0)));
        for (Map.Entry<String, MethodConfig> e : methods.entrySet()) {
            try (NDManager m = Engines.training().newBaseManager()) {
                TrainerFixture.StepLog log = new TrainerFixture.StepLog();
                Trainer.Result result = TrainerFixture.trainer(m, e.getValue(), 640, 7, dir.resolve(e.getKey()), log, 0)
                        .run();
                List<Double> loss = log.series("loss");
                assertTrue(mean(loss.subList(15, 20)) < mean(loss.subList(0, 5)), e.getKey() + ": " + loss);
                assertTrue(Double.isFinite(result.last().testTop1()), e.getKey());
                assertTrue(log.steps.get(0).size() > 2, e.getKey() + " logs its own terms: " + log.steps.get(0));
            }
        }
    }

    @Test
    void theLogitMethodsSince2021TrainWithFallingLossAndTfKdNeedsNoTeacher() {
        for (String method : new String[] {"wsld", "nkd", "ctkd", "tfkd-reg"}) {
            MethodSet set =
                    MethodSet.build(new MethodConfig(method, null, null), DistillerRegistry.fromClasspath(), null);
            assertEquals(!method.equals("tfkd-reg"), set.needsTeacher(), method);
            try (NDManager m = Engines.training().newBaseManager()) {
                TrainerFixture.StepLog log = new TrainerFixture.StepLog();
                Trainer.Result result = TrainerFixture.trainer(
                                m, new MethodConfig(method, null, null), 640, 7, dir.resolve(method), log, 0)
                        .run();
                List<Double> loss = log.series("loss");
                assertTrue(mean(loss.subList(15, 20)) < mean(loss.subList(0, 5)), method + ": " + loss);
                assertTrue(Double.isFinite(result.last().testTop1()), method);
            }
        }
        // With a teacher-reading method beside it, the run has a teacher again.
        assertTrue(MethodSet.build(new MethodConfig("tfkd-reg+kd", null, null), DistillerRegistry.fromClasspath(), null)
                .needsTeacher());
        assertFalse(MethodSet.build(new MethodConfig("vanilla", null, null), DistillerRegistry.fromClasspath(), null)
                .needsTeacher());
    }

    @Test
    void ctkdTrainsItsTemperatureWithTheStudentAndLogsItEveryEpoch() {
        try (NDManager m = Engines.training().newBaseManager()) {
            TrainerFixture.StepLog log = new TrainerFixture.StepLog();
            Trainer trainer = TrainerFixture.trainer(
                    m, new MethodConfig("ctkd", null, null), 640, 7, dir.resolve("ctkd-t"), log, 0);
            Trainer.Result result = trainer.run();
            List<Double> tau = log.series("ctkd.temperature");
            assertEquals(20, tau.size());
            // θ starts at 1: τ = 1 + 20·sigmoid(1); SGD moves it, the reversal makes it climb the KD loss.
            assertEquals(1 + 20 / (1 + Math.exp(-1)), tau.get(0), 1e-4);
            assertNotEquals(tau.get(0), tau.get(19));
            double epochMean = result.last().trainLoss().get("ctkd.temperature");
            assertTrue(epochMean > 1 && epochMean < 21, "the epoch's mean temperature in metrics: " + epochMean);
            assertTrue(
                    Checkpoint.read(trainer.lastCheckpoint(), m).tensors().keySet().stream()
                            .anyMatch(k -> k.startsWith(Checkpoint.MODULE + "ctkd.global_temperature/")),
                    "θ is checkpointed");
        }
    }

    @Test
    void sskdTrainsTheTeacherHeadFirstThenTheStudentOnFourViewsWithFallingLoss() {
        MethodConfig sskd = TrainerFixture.method(
                "sskd", "sskd", Map.of("teacher_epochs", 3, "teacher_lr", 0.05, "teacher_milestones", List.of()));
        TrainerFixture.StepLog log = new TrainerFixture.StepLog();
        try (NDManager m = Engines.training().newBaseManager()) {
            Trainer.Result result = TrainerFixture.trainer(m, sskd, 640, 5, dir.resolve("sskd"), log, 0)
                    .run();
            assertEquals(3, log.initStage.size(), "three epochs of the teacher-head stage before the student");
            assertTrue(log.initStage.get(2) < log.initStage.get(0), "the teacher head learns: " + log.initStage);
            assertEquals(
                    List.of("loss", "ce", "sskd.kd", "sskd.tf", "sskd.ss"),
                    List.copyOf(log.steps.get(0).keySet()));
            List<Double> loss = log.series("loss");
            assertTrue(mean(loss.subList(15, 20)) < mean(loss.subList(0, 5)), "sskd: " + loss);
            assertTrue(Double.isFinite(result.last().testTop1()));
            // The framework's CE is taken on the B unrotated rows; the total is SSKD's weighting.
            Map<String, Double> first = log.steps.get(0);
            assertEquals(
                    0.1 * first.get("ce")
                            + 0.9 * first.get("sskd.kd")
                            + 2.7 * first.get("sskd.tf")
                            + 10 * first.get("sskd.ss"),
                    first.get("loss"),
                    1e-4 * first.get("loss"));
        }
    }

    /**
     * RepDistiller's init stage: AB and FSP train the student (and AB's connectors), FT its
     * paraphraser, with falling loss; a run stopped after the stage resumes without repeating it,
     * step for step as an uninterrupted run (so the stage gives the same student in each process).
     */
    @Test
    void theInitStagesOfAbFspAndFtLearnAndAreNotRepeatedOnResume() {
        for (String id : new String[] {"ab", "fsp", "ft"}) {
            MethodConfig config = TrainerFixture.method(id, id, Map.of("init_epochs", 3, "init_lr", 0.05));
            String teacher = id.equals("fsp") ? "fmnist_cnn" : "fmnist_resnet";
            TrainerFixture.StepLog full = new TrainerFixture.StepLog();
            Map<String, float[]> fresh;
            Map<String, float[]> afterStage;
            try (NDManager m = Engines.training().newBaseManager()) {
                Trainer trainer = TrainerFixture.trainer(m, config, 320, 4, dir.resolve(id + "-a"), full, 0, teacher);
                trainer.run();
            }
            assertEquals(3, full.initStage.size(), id + ": three epochs of the init stage");
            assertTrue(
                    full.initStage.get(2) < full.initStage.get(0), id + ": the init stage learns: " + full.initStage);
            try (NDManager m = Engines.training().newBaseManager()) {
                TrainerFixture.trainer(
                                m, config, 320, 4, dir.resolve(id + "-b"), new TrainerFixture.StepLog(), 0, teacher)
                        .run(4);
            }
            TrainerFixture.StepLog after = new TrainerFixture.StepLog();
            Trainer.Result resumed;
            try (NDManager m = Engines.training().newBaseManager()) {
                resumed = TrainerFixture.trainer(m, config, 320, 4, dir.resolve(id + "-b"), after, 0, teacher)
                        .run();
            }
            assertTrue(after.initStage.isEmpty(), id + ": a resumed run does not repeat the init stage");
            assertTrue(resumed.teacherStageSeconds() > 0, id + ": the stage's time is kept across the resume");
            assertEquals(full.steps.subList(4, 10), after.steps, id);
            try (NDManager m = Engines.training().newBaseManager()) {
                fresh = studentAfterNoStage(m, id, teacher);
                afterStage = new LinkedHashMap<>();
                var a = Checkpoint.read(dir.resolve(id + "-a/last.safetensors"), m)
                        .tensors();
                for (var e : Checkpoint.under(a, Checkpoint.STUDENT).entrySet()) {
                    afterStage.put(e.getKey(), e.getValue().toFloatArray());
                }
                if (id.equals("ft")) {
                    assertTrue(
                            a.keySet().stream().anyMatch(k -> k.startsWith("state/ft.paraphraser.")),
                            a.keySet().toString());
                }
            }
            assertTrue(
                    fresh.keySet().stream().anyMatch(k -> !java.util.Arrays.equals(fresh.get(k), afterStage.get(k))),
                    id);
        }
    }

    /** The student's parameters of a vanilla run of the same seed and steps: what the init stage must change for AB and FSP. */
    private Map<String, float[]> studentAfterNoStage(NDManager m, String id, String teacher) {
        Path out = dir.resolve(id + "-vanilla");
        TrainerFixture.trainer(
                        m,
                        new MethodConfig("vanilla", null, null),
                        320,
                        4,
                        out,
                        new TrainerFixture.StepLog(),
                        0,
                        teacher)
                .run();
        Map<String, float[]> values = new LinkedHashMap<>();
        for (var e : Checkpoint.under(
                        Checkpoint.read(out.resolve("last.safetensors"), m).tensors(), Checkpoint.STUDENT)
                .entrySet()) {
            values.put(e.getKey(), e.getValue().toFloatArray());
        }
        return values;
    }

    @Test
    void sskdResumesWithItsTrainedTeacherHeadAndDoesNotRepeatTheStage() {
        MethodConfig sskd =
                TrainerFixture.method("sskd", "sskd", Map.of("teacher_epochs", 2, "teacher_milestones", List.of()));
        TrainerFixture.StepLog full = new TrainerFixture.StepLog();
        try (NDManager m = Engines.training().newBaseManager()) {
            TrainerFixture.trainer(m, sskd, 320, 4, dir.resolve("sskd-a"), full, 0)
                    .run();
        }
        try (NDManager m = Engines.training().newBaseManager()) {
            TrainerFixture.trainer(m, sskd, 320, 4, dir.resolve("sskd-b"), new TrainerFixture.StepLog(), 0)
                    .run(4);
        }
        TrainerFixture.StepLog after = new TrainerFixture.StepLog();
        Trainer.Result resumed;
        try (NDManager m = Engines.training().newBaseManager()) {
            resumed = TrainerFixture.trainer(m, sskd, 320, 4, dir.resolve("sskd-b"), after, 0)
                    .run();
        }
        assertTrue(after.initStage.isEmpty(), "a resumed run does not train the teacher head again");
        // Its cost still counts the stage, which ran in the first process.
        assertTrue(resumed.teacherStageSeconds() > 0, "teacher-stage time kept across the resume");
        resumed.epochs()
                .forEach(e -> assertTrue(
                        e.msPerStep() > 0 && e.wallSeconds() >= e.seconds() && e.peakRssMiB() > 0, e.toString()));
        assertEquals(full.steps.subList(4, 10), after.steps);
        Set<String> keys = assertSameLastCheckpoints("sskd-a", "sskd-b");
        assertTrue(keys.stream().anyMatch(k -> k.startsWith("state/sskd.teacher_head.")), keys.toString());
        assertTrue(keys.stream().anyMatch(k -> k.startsWith("module/sskd.student_head/")), keys.toString());
    }

    @Test
    void resumingHkdRestoresItsMemoryBanksExactly() {
        TrainerFixture.StepLog full = new TrainerFixture.StepLog();
        try (NDManager m = Engines.training().newBaseManager()) {
            TrainerFixture.trainer(m, TrainerFixture.hkd("hkd+kd"), 320, 3, dir.resolve("a"), full, 0)
                    .run();
        }
        try (NDManager m = Engines.training().newBaseManager()) {
            TrainerFixture.trainer(
                            m, TrainerFixture.hkd("hkd+kd"), 320, 3, dir.resolve("b"), new TrainerFixture.StepLog(), 0)
                    .run(4);
        }
        TrainerFixture.StepLog after = new TrainerFixture.StepLog();
        try (NDManager m = Engines.training().newBaseManager()) {
            TrainerFixture.trainer(m, TrainerFixture.hkd("hkd+kd"), 320, 3, dir.resolve("b"), after, 0)
                    .run();
        }
        assertEquals(full.steps.subList(4, 10), after.steps);
        Set<String> keys = assertSameLastCheckpoints("a", "b");
        assertTrue(keys.contains("state/hkd.memory_s") && keys.contains("state/hkd.memory_t"), keys.toString());
        assertTrue(keys.stream().anyMatch(k -> k.startsWith("module/hkd.gnn_t/")), keys.toString());
    }

    /**
     * Asserts that runs {@code a} and {@code b} (under {@link #dir}) left last checkpoints holding the
     * same tensors, bit for bit; returns their keys.
     */
    private Set<String> assertSameLastCheckpoints(String a, String b) {
        try (NDManager m = Engines.training().newBaseManager()) {
            var first = Checkpoint.read(dir.resolve(a + "/last.safetensors"), m).tensors();
            var second =
                    Checkpoint.read(dir.resolve(b + "/last.safetensors"), m).tensors();
            assertEquals(first.keySet(), second.keySet());
            for (String key : first.keySet()) {
                assertArrayEquals(first.get(key).toFloatArray(), second.get(key).toFloatArray(), key);
            }
            return new LinkedHashSet<>(first.keySet());
        }
    }

    @Test
    void resumingFromACheckpointGivesExactlyTheUninterruptedRun() {
        Path straight = dir.resolve("straight");
        Path interrupted = dir.resolve("interrupted");
        TrainerFixture.StepLog full = new TrainerFixture.StepLog();
        float[][] fullParams;
        try (NDManager m = Engines.training().newBaseManager()) {
            Trainer t = TrainerFixture.trainer(m, "kd", 640, 11, straight, full, 0);
            t.run();
            fullParams = snapshot(m, straight);
        }
        TrainerFixture.StepLog before = new TrainerFixture.StepLog();
        try (NDManager m = Engines.training().newBaseManager()) {
            Trainer.Result partial = TrainerFixture.trainer(m, "kd", 640, 11, interrupted, before, 0)
                    .run(10);
            assertEquals(10, partial.stepsRun());
            assertTrue(!partial.finished());
        }
        TrainerFixture.StepLog after = new TrainerFixture.StepLog();
        float[][] resumedParams;
        try (NDManager m = Engines.training().newBaseManager()) {
            // A fresh process: new networks (initialised differently on purpose) and a new trainer.
            Engines.seed(999);
            Trainer t = TrainerFixture.trainer(m, "kd", 640, 11, interrupted, after, 0);
            t.run();
            resumedParams = snapshot(m, interrupted);
        }
        assertEquals(10, after.steps.size());
        assertEquals(full.steps.get(10), after.steps.get(0), "the first step after resuming differs");
        assertEquals(full.steps.get(19), after.steps.get(9));
        assertEquals(fullParams.length, resumedParams.length);
        for (int i = 0; i < fullParams.length; i++) {
            assertArrayEquals(fullParams[i], resumedParams[i], "parameter " + i + " differs after resume");
        }
        List<EpochRecord> a = new MetricsLog(straight.resolve("metrics.jsonl")).read();
        List<EpochRecord> b = new MetricsLog(interrupted.resolve("metrics.jsonl")).read();
        assertEquals(a.get(0).trainLoss(), b.get(0).trainLoss());
        assertEquals(a.get(0).testTop1(), b.get(0).testTop1());
    }

    private static float[][] snapshot(NDManager m, Path out) {
        var contents = Checkpoint.read(out.resolve("last.safetensors"), m);
        return Checkpoint.under(contents.tensors(), Checkpoint.STUDENT).values().stream()
                .map(a -> a.toFloatArray())
                .toArray(float[][]::new);
    }
}
