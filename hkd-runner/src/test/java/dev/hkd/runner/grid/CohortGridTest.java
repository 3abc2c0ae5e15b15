package dev.hkd.runner.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hkd.runner.run.Cohort;
import dev.hkd.runner.run.RunOptions;
import dev.hkd.training.config.ConfigException;
import dev.hkd.training.io.SafeTensors;
import dev.hkd.training.train.Engines;
import dev.hkd.training.train.EpochRecord;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Grid cells in cohorts: which cells share a teacher pass, and that each member's folder —
 * {@code config.yaml}, {@code metrics.jsonl}, both checkpoints, {@code result.json},
 * {@code tracking.json} — is what the cell writes alone, timings and the cohort record aside; a
 * member that diverges, one already finished and one claimed by another runner.
 */
class CohortGridTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** What legitimately differs between two runs of one configuration: the measurements, and where each ran. */
    private static final List<String> TIMINGS = Stream.concat(
                    EpochRecord.MEASURED.stream(), Stream.of("outputDir", "cost"))
            .toList();
    /** Checkpoint metadata that holds timings. */
    private static final List<String> TIMING_METADATA =
            List.of("epoch_seconds", "epoch_wall_seconds", "teacher_stage_seconds", "last_epoch_record");

    @TempDir
    Path dir;

    /** A grid of {@code methods} (CRD and HKD with few negatives), {@code zip}: more axes of the methods' zip group. */
    private Path grid(String name, String methods, int trials, String zip, String extra) throws Exception {
        List<String> names = Arrays.stream(methods.split(",")).map(String::trim).toList();
        String options = names.stream()
                .map(m -> switch (m) {
                    case "crd" -> "{crd: {nce_k: 128, feat_dim: 32}}";
                    case "hkd" -> "{hkd: {nce_k: 128, feat_dim: 32}}";
                    default -> "null";
                })
                .collect(java.util.stream.Collectors.joining(", "));
        Files.writeString(dir.resolve("base.yaml"), """
                base:
                  seed: 1
                  data: {dataset: fashion-mnist-subset, augment: crop-flip, train_limit: 256}
                  teacher: {model: fmnist_cnn, training: {schedule: {epochs: 1, milestones: []}, batch_size: 64}}
                  student: {model: fmnist_cnn}
                  training: {schedule: {epochs: 2, milestones: [1]}, batch_size: 64}
                  eval_batch_size: 500
                  checkpoint_every_steps: 3
                """);
        Path f = dir.resolve(name + ".yaml");
        Files.writeString(f, """
                extends: base.yaml
                name: %s
                zip:
                  - {method.name: [%s], method.options: [%s]%s}
                trials: %d
                output: %s
                %s
                """.formatted(
                        name,
                        String.join(", ", names),
                        options,
                        zip.isEmpty() ? "" : ", " + zip,
                        trials,
                        dir.resolve(name),
                        extra));
        return f;
    }

    private RunOptions options() {
        return RunOptions.defaults(new PrintStream(OutputStream.nullOutputStream()))
                .withCacheDir(dir.resolve("cache"));
    }

    @Test
    void cellsThatNeedTheSameTeacherPassAreOneCohortAndNothingElseChanges() throws Exception {
        Path file = grid("g", "kd, at, crd, hkd, dkd, reviewkd, sskd, vanilla", 2, "", "");
        List<Cell> plain = GridLoader.cells(GridLoader.load(file, List.of()));
        Grid withCohorts = GridLoader.load(file, List.of()).withCohorts();
        List<Cell> cells = GridLoader.cells(withCohorts);
        assertEquals(plain, cells, "cohorts change no cell's configuration, hash or folder");
        List<Cohorts.Group> groups = Cohorts.of(cells, file);
        Map<String, List<String>> byMembers = new LinkedHashMap<>();
        for (Cohorts.Group g : groups) {
            byMembers.put(
                    g.id(),
                    g.members().stream()
                            .map(c -> c.config().method().name() + "/"
                                    + c.config().seed())
                            .toList());
        }
        List<List<String>> members = new ArrayList<>(byMembers.values());
        // Seeds differ: one cohort of the five per seed; ReviewKD (teacher BN on batch statistics and
        // pre-activations), SSKD (rotated views) and vanilla (no teacher) alone.
        assertTrue(members.contains(List.of("kd/1", "at/1", "crd/1", "hkd/1", "dkd/1")), members.toString());
        assertTrue(members.contains(List.of("kd/2", "at/2", "crd/2", "hkd/2", "dkd/2")), members.toString());
        for (String alone : List.of("reviewkd/1", "sskd/1", "vanilla/1", "reviewkd/2", "sskd/2", "vanilla/2")) {
            assertTrue(members.contains(List.of(alone)), alone + " alone: " + members);
        }
        assertEquals(8, groups.size());
        assertEquals(groups, Cohorts.of(cells, file), "the grouping is the same every time");
        for (int i = 0; i < groups.size(); i++) {
            assertEquals(i, groups.get(i).index());
        }
        Cohorts.Group five =
                groups.stream().filter(Cohorts.Group::shared).findFirst().orElseThrow();
        assertEquals(new Cohort(five.id(), 5), five.cohort());
        assertTrue(
                five.describe(8).startsWith("cohort 1/8 (id " + five.id() + ", 5 cells): 1 method.name=kd "),
                five.describe(8));
        // Another batch size, teacher or data: another pass.
        Path other = grid("h", "kd, at", 1, "training.batch_size: [64, 32]", "");
        assertEquals(
                2,
                Cohorts.of(GridLoader.cells(GridLoader.load(other, List.of())), other)
                        .size());
    }

    @Test
    void cohortsIsABooleanKeyOfTheGridFile() throws Exception {
        // (Not named "yes", "no", "on" or "off": YAML reads those as booleans, and a grid name is a string.)
        Path yes = grid("joined", "kd", 1, "", "cohorts: true");
        assertTrue(GridLoader.load(yes, List.of()).cohorts());
        assertFalse(GridLoader.load(grid("apart", "kd", 1, "", ""), List.of()).cohorts());
        Path bad = grid("bad", "kd", 1, "", "cohorts: often");
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(
                ConfigException.class, () -> GridLoader.load(bad, List.of()));
        assertTrue(e.getMessage().contains("cohorts") && e.getMessage().contains("true or false"), e.getMessage());
    }

    @Test
    void eachMemberWritesExactlyWhatItsCellWritesAlone() throws Exception {
        String methods = "kd, at, crd, hkd, dkd";
        Grid alone = GridLoader.load(grid("alone", methods, 1, "", ""), List.of());
        Grid together = GridLoader.load(grid("together", methods, 1, "", "cohorts: true"), List.of());
        GridRunner.runAll(alone, GridLoader.cells(alone), options());
        List<Cohorts.Group> groups = Cohorts.of(GridLoader.cells(together), together.file());
        assertEquals(1, groups.size());
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        RunOptions logged = RunOptions.defaults(new PrintStream(log, true)).withCacheDir(dir.resolve("cache"));
        assertEquals(
                List.of(
                        GridRunner.State.RAN,
                        GridRunner.State.RAN,
                        GridRunner.State.RAN,
                        GridRunner.State.RAN,
                        GridRunner.State.RAN),
                GridRunner.runCohorts(together, groups, logged));
        assertTrue(
                log.toString().contains("cohort 1/1 (id " + groups.get(0).id() + ", 5 cells): 1 method.name=kd "),
                log.toString());
        List<Cell> a = GridLoader.cells(alone);
        List<Cell> b = GridLoader.cells(together);
        for (int i = 0; i < a.size(); i++) {
            assertSameFolder(
                    a.get(i).folder(),
                    b.get(i).folder(),
                    groups.get(0).id(),
                    a.get(i).config().method().name());
        }
    }

    @Test
    void aDivergingMemberFailsAloneAFinishedOneIsSkippedAndAClaimedOneIsLeftToItsRunner() throws Exception {
        Path file = grid("faults", "kd, dkd, at", 1, "training.optimizer.lr: [0.05, 1.0e+12, 0.05]", "cohorts: true");
        Grid g = GridLoader.load(file, List.of());
        List<Cell> cells = GridLoader.cells(g);
        List<Cohorts.Group> groups = Cohorts.of(cells, file);
        assertEquals(1, groups.size(), "the learning rate is not part of the teacher pass");
        // The AT cell is claimed by another runner during the first pass.
        Files.createDirectories(cells.get(2).folder());
        try (FileChannel ch = FileChannel.open(
                        cells.get(2).folder().resolve(".claim"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock held = ch.lock()) {
            assertEquals(
                    List.of(GridRunner.State.RAN, GridRunner.State.DIVERGED, GridRunner.State.CLAIMED_ELSEWHERE),
                    GridRunner.runCohorts(g, groups, options()));
            assertTrue(held.isValid());
        }
        assertTrue(
                Files.readString(cells.get(1).folder().resolve("failed.json")).contains("loss became"));
        assertTrue(Files.isRegularFile(cells.get(0).folder().resolve("result.json")));
        assertFalse(Files.exists(cells.get(2).folder().resolve("metrics.jsonl")), "the claimed cell was left alone");
        assertEquals(
                List.of(GridRunner.State.DONE_BEFORE, GridRunner.State.DIVERGED_BEFORE, GridRunner.State.RAN),
                GridRunner.runCohorts(g, groups, options()));
        assertEquals(
                2,
                JSON.readTree(cells.get(2).folder().resolve("result.json").toFile())
                        .path("epochs")
                        .asInt());
        assertEquals(
                List.of(GridRunner.State.DONE_BEFORE, GridRunner.State.DIVERGED_BEFORE, GridRunner.State.DONE_BEFORE),
                GridRunner.runCohorts(g, groups, options()));
    }

    /** {@code b} (a cohort member) holds what {@code a} (the cell alone) holds, timings and the cohort record aside. */
    private static void assertSameFolder(Path a, Path b, String cohortId, String what) throws Exception {
        assertEquals(Files.readString(a.resolve("config.hash")), Files.readString(b.resolve("config.hash")), what);
        assertEquals(
                withoutOutput(Files.readString(a.resolve("config.yaml"))),
                withoutOutput(Files.readString(b.resolve("config.yaml"))),
                what + ": config.yaml");
        assertEquals(metrics(a), metrics(b), what + ": metrics.jsonl");
        JsonNode resultA = JSON.readTree(a.resolve("result.json").toFile());
        ObjectNode resultB = (ObjectNode) JSON.readTree(b.resolve("result.json").toFile());
        assertTrue(resultA.path("cohort").isMissingNode(), what + ": a cell alone records no cohort");
        assertEquals(cohortId, resultB.path("cohort").path("id").asText(), what);
        assertEquals(5, resultB.path("cohort").path("size").asInt(), what);
        resultB.remove("cohort");
        assertEquals(withoutTimings(resultA), withoutTimings(resultB), what + ": result.json");
        JsonNode trackingA = JSON.readTree(a.resolve("tracking.json").toFile());
        JsonNode trackingB = JSON.readTree(b.resolve("tracking.json").toFile());
        assertEquals(cohortId, trackingB.path("tags").path(Cohort.ID_TAG).asText(), what);
        assertEquals("5", trackingB.path("tags").path(Cohort.SIZE_TAG).asText(), what);
        assertTrue(trackingA.path("tags").path(Cohort.ID_TAG).isMissingNode(), what);
        ObjectNode paramsA = trackingA.path("params").deepCopy();
        ObjectNode paramsB = trackingB.path("params").deepCopy();
        paramsA.remove("output");
        paramsB.remove("output");
        assertEquals(paramsA, paramsB, what + ": tracking.json params (the folder aside)");
        for (String checkpoint : List.of("last.safetensors", "best.safetensors")) {
            assertEquals(tensors(a.resolve(checkpoint)), tensors(b.resolve(checkpoint)), what + ": " + checkpoint);
        }
        assertEquals(
                metadata(a.resolve("last.safetensors")),
                metadata(b.resolve("last.safetensors")),
                what + ": last.safetensors metadata");
        assertNotEquals(a, b);
    }

    private static String withoutOutput(String yaml) {
        return yaml.lines().filter(l -> !l.startsWith("output:")).toList().toString();
    }

    /** Each tensor's name, type, shape and bytes. */
    private static Map<String, String> tensors(Path file) {
        Map<String, String> out = new TreeMap<>();
        try (NDManager m = Engines.training().newBaseManager()) {
            SafeTensors.read(file, m)
                    .tensors()
                    .forEach((k, v) ->
                            out.put(k, v.getDataType() + v.getShape().toString() + " " + sha256(v.toByteArray())));
        }
        return out;
    }

    private static Map<String, String> metadata(Path file) {
        try (NDManager m = Engines.training().newBaseManager()) {
            Map<String, String> out = new TreeMap<>(SafeTensors.read(file, m).metadata());
            TIMING_METADATA.forEach(out::remove);
            return out;
        }
    }

    private static List<JsonNode> metrics(Path folder) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(folder.resolve("metrics.jsonl"))) {
            out.add(withoutTimings(JSON.readTree(line)));
        }
        return out;
    }

    private static JsonNode withoutTimings(JsonNode node) {
        ObjectNode copy = node.deepCopy();
        copy.remove(TIMINGS);
        return copy;
    }

    private static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(
                            java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
