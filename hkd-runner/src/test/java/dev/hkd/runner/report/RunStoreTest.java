package dev.hkd.runner.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hkd.training.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A report never shows a damaged result as a number, and never overwrites a file it did not plot. */
class RunStoreTest {

    @TempDir
    Path dir;

    private Path run(String name, String result) throws Exception {
        Path run = Files.createDirectories(dir.resolve("store").resolve(name));
        Files.writeString(run.resolve("config.yaml"), "student: {model: tiny_cnn}\nmethod: {name: vanilla}\n");
        Files.writeString(run.resolve("metrics.jsonl"), "");
        Files.writeString(run.resolve("result.json"), result);
        return run;
    }

    @Test
    void anEmptyOrDamagedResultIsOneLineNamingItNotAZero() throws Exception {
        run("good", "{\"lastTop1\": 80.5, \"bestTop1\": 81.0}");
        assertEquals(1, RunStore.read(dir.resolve("store")).size());
        Path empty = run("empty", "{}");
        ConfigException e = assertThrows(ConfigException.class, () -> RunStore.read(dir.resolve("store")));
        assertTrue(e.getMessage().startsWith(empty.resolve("result.json") + ": is incomplete"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
        Files.writeString(empty.resolve("result.json"), "{\"lastTop1\": \"abc\", \"bestTop1\": 1}");
        assertThrows(ConfigException.class, () -> RunStore.read(dir.resolve("store")));
        Files.writeString(empty.resolve("result.json"), "{not json");
        assertThrows(ConfigException.class, () -> RunStore.read(dir.resolve("store")));
    }

    @Test
    void aDamagedTrackingRecordIsOneLineNamingIt() throws Exception {
        Path run = run("good", "{\"lastTop1\": 80.5, \"bestTop1\": 81.0, \"cost\": {\"msPerStep\": 10.0}}");
        Files.writeString(run.resolve("tracking.json"), "{\"tags\": {\"hkd.cpu\": \"A (2 cores)\"}}");
        assertEquals(
                "A (2 cores)", RunStore.read(dir.resolve("store")).get(0).cost().processor());
        Files.writeString(run.resolve("tracking.json"), "{\"tags\": ");
        ConfigException e = assertThrows(ConfigException.class, () -> RunStore.read(dir.resolve("store")));
        assertTrue(e.getMessage().startsWith(run.resolve("tracking.json") + ": is not JSON"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void plotsReplaceOnlyTheirOwnFiles() throws Exception {
        List<FinishedRun> runs = List.of(new FinishedRun("kd", "t", "s", 80, 81, List.of(70.0, 80.0)));
        Path plots = dir.resolve("plots");
        List<Path> written = AccuracyPlots.write(runs, plots);
        assertEquals(1, written.size());
        // A second report replaces its own plot.
        assertEquals(written, AccuracyPlots.write(runs, plots));
        // A file of that name it did not write stays as it is.
        Path mine = Files.createDirectories(dir.resolve("mine"));
        Path same = mine.resolve(written.get(0).getFileName());
        Files.writeString(same, "my picture");
        Exception e = assertThrows(Exception.class, () -> AccuracyPlots.write(runs, mine));
        Throwable cause = e instanceof ConfigException ? e : e.getCause();
        assertTrue(
                cause instanceof ConfigException
                        && cause.getMessage().contains(same.getFileName().toString()),
                String.valueOf(cause));
        assertEquals("my picture", Files.readString(same));
    }
}
