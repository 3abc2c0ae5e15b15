package dev.hkd.experiments.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hkd.training.train.EpochRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What the kill-anywhere soak tests share: the seed of a kill schedule, the kills themselves, and
 * the comparison of two run folders with their timings set aside.
 */
final class SoakKills {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** What legitimately differs between two runs of one configuration: the measurements, and where each ran. */
    private static final List<String> TIMINGS = Stream.concat(
                    EpochRecord.MEASURED.stream(), Stream.of("outputDir", "cost"))
            .toList();

    private SoakKills() {}

    /** The schedule's seed: {@code HKD_SOAK_SEED} to replay one, else a new one, printed for replay. */
    static long seed(String test) {
        String given = System.getenv("HKD_SOAK_SEED");
        long seed = given != null ? Long.parseLong(given) : System.nanoTime();
        System.out.println(test + ": kill schedule seed " + seed + " (replay: HKD_SOAK_SEED=" + seed + ")");
        return seed;
    }

    /**
     * Starts {@code hkd args} once per entry of {@code schedule} and kills it with SIGKILL there:
     * "wall#N" N ms after it starts training, any other entry at that pause point
     * ({@code HKD_PAUSE_AT}). Fails if the process ends before its kill. Returns the kills made.
     */
    static List<String> killEach(
            List<String> schedule, Path log, Map<String, String> env, String[] args, int waitMinutes, long seed)
            throws Exception {
        List<String> done = new ArrayList<>();
        for (String kill : schedule) {
            Map<String, String> e = new HashMap<>(env);
            if (!kill.startsWith("wall#")) {
                e.put("HKD_PAUSE_AT", kill);
            }
            long before = Files.exists(log) ? Files.size(log) : 0;
            Process p = HkdChild.start(log, e, args);
            if (kill.startsWith("wall#")) {
                waitForLine(p, log, before, "Training ", waitMinutes);
                p.waitFor(Long.parseLong(kill.substring(5)), TimeUnit.MILLISECONDS);
            } else {
                waitForLine(p, log, before, "hkd: paused at " + kill, waitMinutes);
            }
            assertTrue(
                    p.isAlive(),
                    "the process ended before the kill " + kill + " (seed " + seed + "):\n" + Files.readString(log));
            p.destroyForcibly();
            p.waitFor();
            done.add(kill);
        }
        return done;
    }

    /**
     * The kills of a soak and the run to its end: {@code kills} shuffled, after a first kill 3 to 12
     * steps in, each made by {@link #killEach}; then {@code hkd args} once more, to finish (at most
     * {@code finishMinutes}). Returns the kills in the order made.
     */
    static List<String> killThenFinish(
            List<String> kills,
            Random random,
            Path log,
            Map<String, String> env,
            String[] args,
            int waitMinutes,
            int finishMinutes,
            long seed)
            throws Exception {
        List<String> schedule = new ArrayList<>(kills);
        Collections.shuffle(schedule, random);
        schedule.add(0, "step#" + (3 + random.nextInt(10)));
        List<String> done = killEach(schedule, log, env, args, waitMinutes, seed);
        HkdChild.run(log, env, finishMinutes, args);
        return done;
    }

    /** Asserts that two run folders hold the same {@code metrics.jsonl} and {@code result.json}, timings aside. */
    static void assertSameRun(Path expected, Path actual, String what) throws Exception {
        assertEquals(
                comparable(expected.resolve("metrics.jsonl")),
                comparable(actual.resolve("metrics.jsonl")),
                what + ": metrics.jsonl");
        assertEquals(
                withoutTimings(JSON.readTree(expected.resolve("result.json").toFile())),
                withoutTimings(JSON.readTree(actual.resolve("result.json").toFile())),
                what + ": result.json");
    }

    /** Waits until the process has written {@code text} to the log (after its first {@code from} bytes). */
    private static void waitForLine(Process p, Path log, long from, String text, int minutes) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(minutes);
        while (System.nanoTime() < deadline && p.isAlive()) {
            byte[] all = Files.readAllBytes(log);
            if (all.length > from
                    && new String(all, (int) from, all.length - (int) from, StandardCharsets.UTF_8).contains(text)) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the process never wrote '" + text + "':\n" + Files.readString(log));
    }

    private static List<JsonNode> comparable(Path metrics) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(metrics)) {
            out.add(withoutTimings(JSON.readTree(line)));
        }
        return out;
    }

    private static JsonNode withoutTimings(JsonNode node) {
        ObjectNode copy = node.deepCopy();
        copy.remove(TIMINGS);
        return copy;
    }
}
