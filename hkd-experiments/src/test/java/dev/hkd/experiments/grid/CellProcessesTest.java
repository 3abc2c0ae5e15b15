package dev.hkd.experiments.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hkd.experiments.tracking.HkdChild;
import dev.hkd.runner.grid.Cell;
import dev.hkd.runner.grid.GridLoader;
import dev.hkd.training.train.EpochRecord;
import dev.hkd.training.train.MetricsLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a published run store promises: each cell of a grid holds exactly the numbers that
 * {@code ./hkd train <cell>/config.yaml} computes for it alone — whatever ran before it in the grid,
 * and whether or not its teacher had to be trained first.
 */
class CellProcessesTest {

    @TempDir
    Path dir;

    @Test
    void everyCellOfAGridComputesWhatTheCellComputesAlone() throws Exception {
        Path grid = Files.writeString(dir.resolve("grid.yaml"), """
                name: alone
                base:
                  seed: 1
                  data: {dataset: fashion-mnist-subset, train_limit: 384}
                  teacher: {model: fmnist_cnn, training: {schedule: {epochs: 1, milestones: []}, batch_size: 32}}
                  student: {model: fmnist_cnn}
                  method: {name: kd}
                  training: {schedule: {epochs: 2, milestones: []}, batch_size: 32}
                sweep:
                  method.name: [vanilla, kd, rkd+kd]
                trials: 1
                output: %s
                """.formatted(dir.resolve("out")));
        Map<String, String> env = Map.of("HKD_CACHE_DIR", dir.resolve("cache").toString());
        Path gridLog = dir.resolve("grid.log");
        HkdChild.run(gridLog, env, 10, "run", grid.toString());
        String log = Files.readString(gridLog);
        assertEquals(
                1,
                log.lines()
                        .filter(l -> l.startsWith("Training teacher fmnist_cnn"))
                        .count(),
                log);
        assertTrue(log.contains("alone: 3 cells run now, 0 finished before, 0 diverged"), log);

        List<Cell> cells = GridLoader.cells(GridLoader.load(grid, List.of()));
        for (Cell cell : cells) {
            Path alone = dir.resolve("alone-" + cell.index());
            HkdChild.run(
                    dir.resolve("alone-" + cell.index() + ".log"),
                    env,
                    10,
                    "train",
                    cell.folder().resolve("config.yaml").toString(),
                    "--set",
                    "output=" + alone);
            List<EpochRecord> inGrid = new MetricsLog(cell.folder().resolve("metrics.jsonl")).read();
            List<EpochRecord> byItself = new MetricsLog(alone.resolve("metrics.jsonl")).read();
            assertEquals(2, inGrid.size(), cell.describe());
            assertEquals(
                    numbers(byItself),
                    numbers(inGrid),
                    cell.describe() + ": the grid's numbers differ from the cell run alone");
        }
    }

    /** Everything an epoch logs except wall-clock time and throughput. */
    private static List<List<Object>> numbers(List<EpochRecord> epochs) {
        return epochs.stream()
                .map(e -> List.<Object>of(
                        e.epoch(),
                        e.learningRate(),
                        e.trainLoss(),
                        e.trainTop1(),
                        e.trainTop5(),
                        e.testTop1(),
                        e.testTop5(),
                        e.bestTop1()))
                .toList();
    }
}
