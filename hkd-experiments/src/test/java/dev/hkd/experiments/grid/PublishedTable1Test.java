package dev.hkd.experiments.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hkd.experiments.config.ReproducibilityConfigsTestSupport;
import dev.hkd.experiments.run.RecordedThreads;
import dev.hkd.experiments.train.EpochRecord;
import dev.hkd.experiments.train.MetricsLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The published Fashion-MNIST Table 1 (reproducibility/fashion-mnist/RESULTS.md) is what its
 * committed run store says: every cell of the grid has ended, each folder holds the run of its own
 * configuration, and the report in RESULTS.md is the one {@code ./hkd report} prints from the store.
 */
class PublishedTable1Test {

    private static final Path DIR = ReproducibilityConfigsTestSupport.root().resolve("reproducibility/fashion-mnist");
    private static final Path STORE = DIR.resolve("table1-runs");

    @Test
    void everyCellOfTheGridHasItsRunInTheStore() throws Exception {
        List<Cell> cells = GridLoader.cells(GridLoader.load(DIR.resolve("table1.yaml"), List.of()));
        assertEquals(90, cells.size(), "two pairs × fifteen methods × three trials");
        ObjectMapper json = new ObjectMapper();
        for (Cell cell : cells) {
            Path run = STORE.resolve(Path.of(cell.config().output()).getFileName());
            assertTrue(Files.isRegularFile(run.resolve("result.json")), run + ": no result.json");
            String loggedHash = Files.readString(run.resolve("config.hash")).strip();
            assertTrue(cell.hash().startsWith(loggedHash), run + ": ran another configuration (" + loggedHash + ")");

            JsonNode result = json.readTree(run.resolve("result.json").toFile());
            List<EpochRecord> epochs = new MetricsLog(run.resolve("metrics.jsonl")).read();
            assertEquals(cell.config().training().schedule().epochs(), epochs.size(), run + ": epochs logged");
            assertEquals(epochs.get(epochs.size() - 1).testTop1(), result.path("lastTop1").asDouble(), run + ": last top-1");
            double best = epochs.stream().mapToDouble(EpochRecord::testTop1).max().orElseThrow();
            assertEquals(best, result.path("bestTop1").asDouble(), run + ": best top-1");
            // Cells run since the thread count is recorded say it; RESULTS.md states 2 for all (and why for the older ones).
            RecordedThreads.in(run).ifPresent(threads -> assertEquals(2, threads, run + ": intra-op threads"));
        }
    }

    @Test
    void theCellsAddedSinceThreadsAreRecordedRecordTheirs() throws Exception {
        for (Cell cell : GridLoader.cells(GridLoader.load(DIR.resolve("table1.yaml"), List.of()))) {
            String method = cell.config().method().displayName();
            if (List.of("dkd", "dist", "kd-ls", "dkd-ls").contains(method)) {
                Path run = STORE.resolve(Path.of(cell.config().output()).getFileName());
                assertTrue(RecordedThreads.in(run).isPresent(), run + ": no thread count recorded");
            }
        }
    }

    @Test
    void resultsMdShowsTheReportOfTheStore() throws Exception {
        Report report = Report.of(RunStore.read(STORE))
                .withPaper(PaperTable.load(ReproducibilityConfigsTestSupport.root().resolve("reproducibility/cifar100/paper-tables.json"),
                        null));
        String published = Files.readString(DIR.resolve("RESULTS.md"));
        assertTrue(published.contains(report.format("markdown", false)), "RESULTS.md: the last-epoch table differs from ./hkd report");
        assertTrue(published.contains(report.format("markdown", true)), "RESULTS.md: the best-epoch table differs from ./hkd report");
    }
}
