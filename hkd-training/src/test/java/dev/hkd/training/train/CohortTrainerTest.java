package dev.hkd.training.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.hkd.training.config.MethodConfig;
import dev.hkd.training.data.CropFlip;
import dev.hkd.training.models.FeatureNetwork;
import dev.hkd.training.models.ImageLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cohort computes for each member exactly what the member computes alone: every step's losses,
 * every student parameter and the metrics line, bit for bit — for a logits-only method (KD), a
 * feature method (AT), CRD and HKD with their memory banks, and DKD. A member fed another batch
 * order (a pass of another seed) does not, which shows the comparison can fail; members resumed at
 * different positions catch up and end as uninterrupted.
 */
class CohortTrainerTest {

    private static final int SAMPLES = 192;
    private static final long SEED = 3;

    @TempDir
    Path dir;

    private static List<MethodConfig> methods() {
        return List.of(
                new MethodConfig("kd", null, null),
                new MethodConfig("at", null, null),
                TrainerFixture.method("crd", "crd", Map.of("nce_k", 256, "feat_dim", 32)),
                TrainerFixture.hkd("hkd"),
                new MethodConfig("dkd", null, null));
    }

    /** What a member computed: its step losses, its student's parameters and its metrics file. */
    private record Run(List<Map<String, Double>> steps, Map<String, float[]> student, List<String> metrics) {}

    private Run alone(NDManager m, MethodConfig method, Path out) throws Exception {
        TrainerFixture.StepLog log = new TrainerFixture.StepLog();
        Trainer t = TrainerFixture.trainer(m, method, SAMPLES, SEED, out, log, 4);
        assertTrue(t.run().finished());
        return new Run(log.steps, studentOf(t), comparableMetrics(out));
    }

    @Test
    void fiveMethodsInOneCohortComputeExactlyWhatEachComputesAlone() throws Exception {
        try (NDManager m = Engines.training().newBaseManager()) {
            List<Run> alone = new ArrayList<>();
            for (MethodConfig method : methods()) {
                alone.add(alone(m, method, dir.resolve("alone-" + method.name())));
            }
            List<TrainerFixture.StepLog> logs = new ArrayList<>();
            List<Trainer> members = new ArrayList<>();
            for (MethodConfig method : methods()) {
                TrainerFixture.StepLog log = new TrainerFixture.StepLog();
                logs.add(log);
                members.add(TrainerFixture.trainer(
                        m, method, SAMPLES, SEED, dir.resolve("cohort-" + method.name()), log, 4));
            }
            List<CohortTrainer.Outcome> outcomes =
                    new CohortTrainer(m, members, members.get(0).teacherPass(), 32).run(Long.MAX_VALUE);
            for (int i = 0; i < members.size(); i++) {
                String name = methods().get(i).name();
                assertNull(outcomes.get(i).diverged(), name);
                assertTrue(outcomes.get(i).result().finished(), name);
                assertEquals(alone.get(i).steps(), logs.get(i).steps, name + ": every step's losses");
                assertSameParameters(alone.get(i).student(), studentOf(members.get(i)), name);
                assertEquals(
                        alone.get(i).metrics(),
                        comparableMetrics(dir.resolve("cohort-" + name)),
                        name + ": metrics.jsonl");
            }
        }
    }

    @Test
    void aMemberFedAnotherBatchOrderComputesSomethingElse() throws Exception {
        try (NDManager m = Engines.training().newBaseManager()) {
            MethodConfig kd = new MethodConfig("kd", null, null);
            Run alone = alone(m, kd, dir.resolve("alone"));
            TrainerFixture.StepLog log = new TrainerFixture.StepLog();
            Trainer member = TrainerFixture.trainer(m, kd, SAMPLES, SEED, dir.resolve("shuffled"), log, 4);
            // The member's own teacher, but the batches of another seed: another order (and augmentation) of the same
            // samples.
            FeatureNetwork teacher = TrainerFixture.network(m, "fmnist_resnet", SEED + 100);
            teacher.freeze();
            TeacherPass otherOrder = new TeacherPass(
                    m,
                    teacher,
                    TrainingBatches.of(TrainerFixture.TRAIN.head(SAMPLES), new CropFlip(2, true)),
                    SEED + 1,
                    member.teacherPass().mode(),
                    DataType.FLOAT32,
                    ImageLayout.CHANNELS_LAST);
            new CohortTrainer(m, List.of(member), otherOrder, 32).run(Long.MAX_VALUE);
            assertEquals(alone.steps().size(), log.steps.size());
            assertNotEquals(alone.steps(), log.steps, "the step losses must differ");
            assertNotEquals(alone.metrics(), comparableMetrics(dir.resolve("shuffled")), "metrics.jsonl must differ");
            assertFalse(sameParameters(alone.student(), studentOf(member)), "the student must differ");
        }
    }

    @Test
    void membersResumedAtDifferentPositionsCatchUpAndEndAsUninterrupted() throws Exception {
        try (NDManager m = Engines.training().newBaseManager()) {
            List<MethodConfig> methods = List.of(
                    new MethodConfig("kd", null, null),
                    TrainerFixture.method("crd", "crd", Map.of("nce_k", 256, "feat_dim", 32)),
                    new MethodConfig("dkd", null, null));
            List<Run> alone = new ArrayList<>();
            for (MethodConfig method : methods) {
                alone.add(alone(m, method, dir.resolve("alone-" + method.name())));
            }
            // KD stopped after 2 steps (its checkpoint at step 2), CRD after 5, DKD never started; an epoch has 6.
            long[] before = {2, 5, 0};
            for (int i = 0; i < 2; i++) {
                Trainer t = TrainerFixture.trainer(
                        m,
                        methods.get(i),
                        SAMPLES,
                        SEED,
                        dir.resolve("resumed-" + methods.get(i).name()),
                        new TrainerFixture.StepLog(),
                        4);
                assertFalse(t.run(before[i]).finished());
            }
            List<TrainerFixture.StepLog> logs = new ArrayList<>();
            List<Trainer> members = new ArrayList<>();
            for (MethodConfig method : methods) {
                TrainerFixture.StepLog log = new TrainerFixture.StepLog();
                logs.add(log);
                members.add(TrainerFixture.trainer(
                        m, method, SAMPLES, SEED, dir.resolve("resumed-" + method.name()), log, 4));
            }
            new CohortTrainer(m, members, members.get(2).teacherPass(), 32).run(Long.MAX_VALUE);
            for (int i = 0; i < methods.size(); i++) {
                String name = methods.get(i).name();
                List<Map<String, Double>> rest = alone.get(i)
                        .steps()
                        .subList((int) before[i], alone.get(i).steps().size());
                assertEquals(rest, logs.get(i).steps, name + ": the steps after its resume");
                assertSameParameters(alone.get(i).student(), studentOf(members.get(i)), name);
                assertEquals(
                        alone.get(i).metrics(),
                        comparableMetrics(dir.resolve("resumed-" + name)),
                        name + ": metrics.jsonl");
            }
        }
    }

    private static Map<String, float[]> studentOf(Trainer t) throws Exception {
        return TrainerFixture.studentParameters(t, t.student());
    }

    private static void assertSameParameters(Map<String, float[]> expected, Map<String, float[]> actual, String what) {
        assertEquals(expected.keySet(), actual.keySet(), what);
        expected.forEach((k, v) -> assertArrayEquals(v, actual.get(k), what + ": student parameter " + k));
    }

    private static boolean sameParameters(Map<String, float[]> a, Map<String, float[]> b) {
        Map<String, Boolean> same = new LinkedHashMap<>();
        a.forEach((k, v) -> same.put(k, java.util.Arrays.equals(v, b.get(k))));
        return !same.containsValue(false);
    }

    /** The metrics lines without what legitimately differs between two runs (timings, memory). */
    private static List<String> comparableMetrics(Path out) throws Exception {
        List<String> lines = new ArrayList<>();
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (String line : Files.readAllLines(out.resolve("metrics.jsonl"))) {
            var node = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(line);
            node.remove(EpochRecord.MEASURED);
            lines.add(node.toString());
        }
        return lines;
    }
}
