package dev.hkd.experiments.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hkd.experiments.tracking.HkdChild;
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
        Path grid = dir.resolve("grid.yaml");
        Files.writeString(grid, """
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
        new ProcessBuilder("kill", "-" + signal, Long.toString(runner.pid()))
                .inheritIO()
                .start()
                .waitFor();
        assertTrue(runner.waitFor(60, TimeUnit.SECONDS), "the runner did not stop on SIG" + signal);
        long gone = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < gone && children.stream().anyMatch(ProcessHandle::isAlive)) {
            Thread.sleep(100);
        }
        List<ProcessHandle> alive =
                children.stream().filter(ProcessHandle::isAlive).toList();
        alive.forEach(ProcessHandle::destroyForcibly);
        assertTrue(alive.isEmpty(), alive.size() + " workers or cells outlived the runner stopped with SIG" + signal);
    }
}
