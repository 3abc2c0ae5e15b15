package dev.hkd.runner.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hkd.runner.RepositoryRoot;
import dev.hkd.runner.grid.Cell;
import dev.hkd.runner.grid.GridLoader;
import dev.hkd.runner.run.RecordedThreads;
import dev.hkd.training.train.EpochRecord;
import dev.hkd.training.train.MetricsLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The published Fashion-MNIST Table 1 (reproducibility/fashion-mnist/RESULTS.md) is what its
 * committed run store says: every cell of the grid has ended, each folder holds the run of its own
 * configuration, and the report in RESULTS.md is the one {@code ./hkd report} prints from the store.
 */
class PublishedTable1Test {

    private static final Path DIR = RepositoryRoot.path().resolve("reproducibility/fashion-mnist");
    private static final Path STORE = DIR.resolve("table1-runs");
    /** KDSVD and FSP on the two pairs of equal widths, which Table 1's pairs are not. */
    private static final Path SAME_WIDTH = DIR.resolve("same-width-runs");

    @Test
    void everyCellOfTheGridHasItsRunInTheStore() throws Exception {
        assertEquals(
                138, assertStoreHoldsGrid("table1.yaml", STORE), "two pairs × twenty-three methods × three trials");
        assertEquals(
                24, assertStoreHoldsGrid("same-width.yaml", SAME_WIDTH), "two pairs × four methods × three trials");
    }

    @Test
    void everyCellOfTheScheduleStudyHasItsRunInItsStore() throws Exception {
        assertEquals(
                30,
                assertStoreHoldsGrid("hkd-schedule.yaml", DIR.resolve("hkd-schedule-runs")),
                "five methods × two schedules × three trials");
        assertEquals(7, assertStoreHoldsGrid("hkd-knobs.yaml", DIR.resolve("hkd-knobs-runs")), "seven one-seed probes");
        assertEquals(
                9,
                assertStoreHoldsGrid("hkd-knobs-trials.yaml", DIR.resolve("hkd-knobs-runs")),
                "three settings × three trials");
        try (var folders = Files.list(DIR.resolve("hkd-knobs-runs"))) {
            assertEquals(
                    13,
                    folders.filter(Files::isDirectory).count(),
                    "the trials grid shares its seed-1 cells with the probes");
        }
    }

    /** Checks that every cell of {@code grid} ended in {@code store} as its own configuration; returns the cell count. */
    private static int assertStoreHoldsGrid(String grid, Path store) throws Exception {
        List<Cell> cells = GridLoader.cells(GridLoader.load(DIR.resolve(grid), List.of()));
        ObjectMapper json = new ObjectMapper();
        for (Cell cell : cells) {
            Path run = store.resolve(Path.of(cell.config().output()).getFileName());
            assertTrue(Files.isRegularFile(run.resolve("result.json")), run + ": no result.json");
            String loggedHash = Files.readString(run.resolve("config.hash")).strip();
            assertTrue(cell.hash().startsWith(loggedHash), run + ": ran another configuration (" + loggedHash + ")");

            JsonNode result = json.readTree(run.resolve("result.json").toFile());
            List<EpochRecord> epochs = new MetricsLog(run.resolve("metrics.jsonl")).read();
            assertEquals(cell.config().training().schedule().epochs(), epochs.size(), run + ": epochs logged");
            assertEquals(
                    epochs.get(epochs.size() - 1).testTop1(),
                    result.path("lastTop1").asDouble(),
                    run + ": last top-1");
            double best =
                    epochs.stream().mapToDouble(EpochRecord::testTop1).max().orElseThrow();
            assertEquals(best, result.path("bestTop1").asDouble(), run + ": best top-1");
            // The cost column compares step times across cells: each cell measured its median step on the machine's
            // 2 cores. The study stores ran two cells at a time on 1 thread each, and say so in RESULTS.md.
            if (store.equals(STORE) || store.equals(SAME_WIDTH)) {
                assertEquals(Optional.of(2), RecordedThreads.in(run), run + ": intra-op threads");
                assertTrue(result.path("cost").path("msPerStep").isNumber(), run + ": no median step time recorded");
            }
            assertEquals(
                    run.getFileName().toString(),
                    result.path("outputDir").asText(),
                    run + ": outputDir is the folder's name");
        }
        return cells.size();
    }

    /**
     * Step times and numbers compare across the table only when they come from one processor, one code version and
     * one teacher per pair: the grid's cells say so in their records.
     */
    @Test
    void theGridRanOnOneProcessorFromOneCleanCommitWithOneTeacherPerPair() throws Exception {
        assertRanOnOneProcessorFromOneCleanCommitWithOneTeacherPerPair(STORE);
        assertRanOnOneProcessorFromOneCleanCommitWithOneTeacherPerPair(SAME_WIDTH);
    }

    private static void assertRanOnOneProcessorFromOneCleanCommitWithOneTeacherPerPair(Path store) throws Exception {
        ObjectMapper json = new ObjectMapper();
        Set<String> processors = new TreeSet<>();
        Set<String> commits = new TreeSet<>();
        Map<String, Set<Double>> teacherTop1 = new TreeMap<>();
        try (var folders = Files.list(store)) {
            for (Path run : folders.filter(Files::isDirectory).toList()) {
                JsonNode tracking = json.readTree(run.resolve("tracking.json").toFile());
                JsonNode tags = tracking.path("tags");
                processors.add(tags.path("hkd.cpu").asText("(none)"));
                commits.add(tags.path("hkd.git_commit").asText("(none)"));
                JsonNode result = json.readTree(run.resolve("result.json").toFile());
                if (result.path("teacher").has("top1")) {
                    teacherTop1
                            .computeIfAbsent(
                                    tracking.path("params")
                                            .path("teacher.model")
                                            .asText(),
                                    k -> new TreeSet<>())
                            .add(result.path("teacher").path("top1").asDouble());
                }
            }
        }
        assertEquals(1, processors.size(), store + ": processors " + processors);
        assertEquals(1, commits.size(), store + ": commits " + commits);
        assertTrue(!commits.iterator().next().endsWith("-dirty"), store + ": ran from a tree with changes " + commits);
        assertEquals(2, teacherTop1.size(), store + ": one teacher model per pair " + teacherTop1.keySet());
        teacherTop1.forEach((teacher, top1) ->
                assertEquals(1, top1.size(), store + ": " + teacher + " teachers of " + top1 + " %"));
    }

    @Test
    void resultsMdShowsTheReportOfTheStore() throws Exception {
        Report report = Report.of(RunStore.read(STORE))
                .withPaper(PaperTable.load(
                        RepositoryRoot.path().resolve("reproducibility/cifar100/paper-tables.json"), null));
        assertPublished(report, "");
    }

    @Test
    void resultsMdShowsTheReportOfTheSameWidthStore() throws Exception {
        assertPublished(Report.of(RunStore.read(SAME_WIDTH)), "same-width ");
    }

    /** RESULTS.md holds the report's last-epoch, best-epoch, and cost and significance tables (against KD). */
    private static void assertPublished(Report report, String which) throws Exception {
        String published = Files.readString(DIR.resolve("RESULTS.md"));
        assertTrue(
                published.contains(report.format("markdown", false)),
                "RESULTS.md: the " + which + "last-epoch table differs from ./hkd report");
        assertTrue(
                published.contains(report.format("markdown", true)),
                "RESULTS.md: the " + which + "best-epoch table differs from ./hkd report");
        assertTrue(
                published.contains(report.costAndSignificance("markdown", "kd", "kd", false)),
                "RESULTS.md: the " + which + "cost and significance table differs from ./hkd report");
    }

    @Test
    void resultsMdShowsTheReportsOfTheStudyStores() throws Exception {
        String published = Files.readString(DIR.resolve("RESULTS.md"));
        // 15 epochs: the schedule study and the settings probes together, against HKD's reference settings.
        Report fifteen = Report.of(RunStore.read(DIR, java.util.Map.of("training.schedule.epochs", "15")));
        assertTrue(published.contains(fifteen.format("markdown", false)), "RESULTS.md: the 15-epoch table differs");
        assertTrue(
                published.contains(fifteen.costAndSignificance("markdown", "hkd", "kd", false)),
                "RESULTS.md: the 15-epoch significance table differs");
        Report thirty = Report.of(RunStore.read(DIR, java.util.Map.of("training.schedule.epochs", "30")));
        assertTrue(published.contains(thirty.format("markdown", false)), "RESULTS.md: the 30-epoch table differs");
        assertTrue(
                published.contains(thirty.costAndSignificance("markdown", "vanilla", "kd", false)),
                "RESULTS.md: the 30-epoch significance table differs");
    }
}
