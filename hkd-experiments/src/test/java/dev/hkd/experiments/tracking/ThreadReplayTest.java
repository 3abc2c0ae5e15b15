package dev.hkd.experiments.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hkd.runner.run.RecordedThreads;
import dev.hkd.training.train.EpochRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cell's numbers depend on the intra-op thread count its process had; the grid gives each of
 * {@code --workers N} a share of the cores. A plain {@code ./hkd train <cell>/config.yaml} into
 * another folder replays the count the cell recorded and reproduces every logged number.
 */
class ThreadReplayTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aCellOfATwoWorkerGridIsReproducedByAPlainTrainOfItsFolder() throws Exception {
        Path grid = Files.writeString(dir.resolve("grid.yaml"), """
                name: threads
                base:
                  seed: 2
                  data: {dataset: fashion-mnist-subset, augment: crop-flip, train_limit: 512}
                  student: {model: fmnist_cnn}
                  method: {name: vanilla}
                  training: {schedule: {epochs: 2}, batch_size: 64}
                trials: 2
                output: %s
                """.formatted(dir.resolve("cells")));
        Path gridLog = dir.resolve("grid.log");
        Process run = HkdChild.startAsUser(gridLog, Map.of(), null, "run", grid.toString(), "--workers", "2");
        assertTrue(run.waitFor(10, TimeUnit.MINUTES), "the grid did not end");
        assertEquals(0, run.exitValue(), Files.readString(gridLog));
        Path cell;
        try (Stream<Path> cells = Files.list(dir.resolve("cells"))) {
            cell = cells.filter(Files::isDirectory)
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted()
                    .findFirst()
                    .orElseThrow();
        }
        int recorded =
                RecordedThreads.in(cell).orElseThrow(() -> new AssertionError("no thread count recorded in " + cell));
        assertEquals(
                Math.max(1, Runtime.getRuntime().availableProcessors() / 2),
                recorded,
                "each of 2 workers gets half the cores");

        Path again = dir.resolve("again");
        Path log = dir.resolve("train.log");
        Process train = HkdChild.startAsUser(
                log, Map.of(), null, "train", cell.resolve("config.yaml").toString(), "--set", "output=" + again);
        assertTrue(train.waitFor(10, TimeUnit.MINUTES));
        String out = Files.readString(log);
        assertEquals(0, train.exitValue(), out);
        assertTrue(
                out.contains("threads: " + recorded + " intra-op (as recorded beside " + cell.resolve("config.yaml")),
                out);
        assertEquals(recorded, RecordedThreads.in(again).orElseThrow());
        assertEquals(
                numbers(cell.resolve("metrics.jsonl")), numbers(again.resolve("metrics.jsonl")), "every logged number");
    }

    /** Every logged number but the timings. */
    private static List<JsonNode> numbers(Path metrics) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(metrics)) {
            ObjectNode n = (ObjectNode) JSON.readTree(line);
            n.remove(EpochRecord.MEASURED);
            out.add(n);
        }
        return out;
    }
}
