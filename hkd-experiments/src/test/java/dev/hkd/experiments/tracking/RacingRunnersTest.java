package dev.hkd.experiments.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hkd.training.train.EpochRecord;
import dev.hkd.training.train.MetricsLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two runners started on one grid at the same moment never run a cell twice: every cell finishes
 * exactly once across both, with one metrics line per epoch.
 */
class RacingRunnersTest {

    @TempDir
    Path dir;

    @Test
    void twoRunnersStartedTogetherRunEachCellOnce() throws Exception {
        Path grid = Files.writeString(dir.resolve("grid.yaml"), """
                name: race
                base:
                  data: {dataset: fashion-mnist-subset, augment: none, train_limit: 256}
                  student: {model: tiny_cnn}
                  method: {name: vanilla}
                  training: {schedule: {epochs: 2}, batch_size: 64}
                sweep:
                  training.optimizer.lr: [0.05, 0.1]
                trials: 3
                output: %s
                """.formatted(dir.resolve("out")));
        Path logA = dir.resolve("a.log");
        Path logB = dir.resolve("b.log");
        Process a = HkdChild.start(logA, Map.of(), "run", grid.toString());
        Process b = HkdChild.start(logB, Map.of(), "run", grid.toString());
        assertTrue(a.waitFor(10, TimeUnit.MINUTES) && b.waitFor(10, TimeUnit.MINUTES), "runners did not end");
        String logs = Files.readString(logA) + Files.readString(logB);
        assertEquals(0, a.exitValue(), logs);
        assertEquals(0, b.exitValue(), logs);

        List<Path> cells;
        try (Stream<Path> folders = Files.list(dir.resolve("out"))) {
            cells = folders.filter(Files::isDirectory)
                    .filter(f -> !f.getFileName().toString().startsWith("."))
                    .toList();
        }
        assertEquals(6, cells.size(), cells.toString());
        assertEquals(
                6,
                logs.lines()
                        .filter(l -> l.startsWith("Finished tiny_cnn/vanilla"))
                        .count(),
                logs);
        for (Path cell : cells) {
            assertTrue(Files.isRegularFile(cell.resolve("result.json")), cell + "\n" + logs);
            assertEquals(
                    List.of(1, 2),
                    new MetricsLog(cell.resolve("metrics.jsonl"))
                            .read().stream().map(EpochRecord::epoch).toList(),
                    cell.toString());
        }
    }
}
