package dev.hkd.experiments.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hkd.experiments.tracking.HkdChild;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A runner with {@code --workers 2} stopped by SIGTERM, SIGINT or SIGKILL leaves nothing training:
 * its workers and their cells end with it (TERM and INT through the shutdown hooks, KILL through
 * each child's watch on its parent), so a re-run finds no cell claimed.
 */
class StoppedRunnerTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"TERM", "INT", "KILL"})
    void workersAndTheirCellsDieWithTheRunner(String signal) throws Exception {
        Path grid = Files.writeString(dir.resolve("grid.yaml"), """
                base:
                  data: {dataset: fashion-mnist-subset, train_limit: 2048}
                  student: {model: fmnist_cnn}
                  training: {schedule: {epochs: 50}, batch_size: 32}
                sweep: {seed: [1, 2]}
                output: %s
                """.formatted(dir.resolve("out")));
        Path log = dir.resolve(signal + ".log");
        Process runner = HkdChild.start(
                log,
                Map.of("HKD_CACHE_DIR", dir.resolve("cache").toString()),
                "run",
                grid.toString(),
                "--workers",
                "2",
                "--threads",
                "1");
        // Two workers, each with its cell's process.
        List<ProcessHandle> children = List.of();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (System.nanoTime() < deadline && children.size() < 4) {
            Thread.sleep(200);
            children = runner.descendants()
                    .filter(p -> p.info().command().map(c -> c.endsWith("java")).orElse(false))
                    .toList();
        }
        assertEquals(4, children.size(), "workers and cells did not start: " + Files.readString(log));
        Thread.sleep(1000);
        send(signal, runner);
        String stoppedBy = signal;
        if (signal.equals("INT") && sigintIgnoredHere()) {
            // Started as a background job (for example `./mvnw test &`): SIGINT is ignored from the
            // start and the children inherit that, as in every POSIX program, so the runner must go
            // on; SIGTERM then stops it and its cells as it would have.
            assertFalse(runner.waitFor(5, TimeUnit.SECONDS), "the runner stopped on a SIGINT its shell ignores");
            stoppedBy = "TERM";
            send(stoppedBy, runner);
        }
        assertTrue(runner.waitFor(60, TimeUnit.SECONDS), "the runner did not stop on SIG" + stoppedBy);
        long gone = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < gone && children.stream().anyMatch(ProcessHandle::isAlive)) {
            Thread.sleep(100);
        }
        List<ProcessHandle> alive =
                children.stream().filter(ProcessHandle::isAlive).toList();
        alive.forEach(ProcessHandle::destroyForcibly);
        assertTrue(
                alive.isEmpty(), alive.size() + " workers or cells outlived the runner stopped with SIG" + stoppedBy);
    }

    private static void send(String signal, Process process) throws Exception {
        new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
                .inheritIO()
                .start()
                .waitFor();
    }

    /** Whether SIGINT is ignored in this process (bit 1 of the {@code SigIgn} mask), and so in its children. */
    private static boolean sigintIgnoredHere() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(
                                        line.substring("SigIgn:".length()).trim(), 16)
                                & 0x2L)
                        != 0;
            }
        }
        throw new AssertionError("/proc/self/status has no SigIgn line");
    }
}
