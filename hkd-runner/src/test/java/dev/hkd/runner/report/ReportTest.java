package dev.hkd.runner.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hkd.runner.RepositoryRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report's tables: means over seeds, the paper's numbers beside ours, cost and Welch's test, LaTeX escaping. */
class ReportTest {

    @TempDir
    Path dir;

    private Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void theReportGivesMeanAndStdOverSeedsAndTheAri() throws Exception {
        Report r = Report.of(List.of(
                new FinishedRun("hkd+kd", "t", "s", 80, 81, List.of(80.0)),
                new FinishedRun("hkd+kd", "t", "s", 82, 83, List.of(82.0)),
                new FinishedRun("kd", "t", "s", 78, 79, List.of(78.0)),
                new FinishedRun("vanilla", null, "s", 76, 76, List.of(76.0))));
        String md = r.format("markdown", false);
        assertTrue(md.contains("| hkd+kd | 81.00 ± 1.41 (n=2) |"), md);
        // ARI of kd = (81 − 78) / (78 − 76) · 100 = 150 %.
        assertEquals(150.0, r.ari("kd", false), 1e-9);
        assertTrue(md.contains("150.00%"), md);
        assertTrue(r.format("latex", true).contains("\\pm"));
        assertTrue(r.format("csv", true).startsWith("method,"));
    }

    @Test
    void aMethodTrainedWithoutATeacherKeepsItsOwnRowOnEveryPairOfItsStudent() {
        Report r = Report.of(List.of(
                new FinishedRun("kd", "t1", "s", 78, 78, List.of(78.0)),
                new FinishedRun("kd", "t2", "s", 77, 77, List.of(77.0)),
                new FinishedRun("vanilla", null, "s", 76, 76, List.of(76.0)),
                new FinishedRun("tfkd-reg", null, "s", 77.5, 77.5, List.of(77.5))));
        assertEquals(List.of("t1 → s", "t2 → s"), r.pairs());
        assertEquals(1, r.table().get("vanilla").get("t1 → s").last().size());
        assertEquals(List.of(77.5), r.table().get("tfkd-reg").get("t2 → s").last());
        assertEquals(List.of(76.0), r.table().get("vanilla").get("t2 → s").last());
    }

    @Test
    void thePapersNumbersAndOurDifferenceStandBesideOurs() throws Exception {
        Path json = write("paper.json", """
                {"t1": {"pairs": [{"teacher": "t", "student": "s"}],
                        "rows": {"student": [[75.0, 0.1]], "kd": [[77.5, 0.2]], "hkd+kd": [[80.0, 0.3]]},
                        "ari_percent": {"kd": 120.0}}}""");
        Report r = Report.of(List.of(
                        new FinishedRun("hkd+kd", "t", "s", 81, 81, List.of(81.0)),
                        new FinishedRun("kd", "t", "s", 78, 78, List.of(78.0)),
                        new FinishedRun("vanilla", "t", "s", 76, 76, List.of(76.0))))
                .withPaper(PaperTable.load(json, "t1"));
        String md = r.format("markdown", false);
        assertTrue(md.contains("| kd | 78.00 ± 0.00 (n=1) [paper 77.50, Δ +0.50] | 150.00% [paper 120.00%] |"), md);
        assertTrue(md.contains("| vanilla | 76.00 ± 0.00 (n=1) [paper 75.00, Δ +1.00] |"), md);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PaperTable.load(json, "nope"));
        assertTrue(e.getMessage().contains("no table 'nope'") && e.getMessage().contains("t1"), e.getMessage());
    }

    @Test
    void modelNamesWithUnderscoresAreWholeLabelsAndEscapedInLatex() {
        Report r = Report.of(List.of(
                new FinishedRun("kd", "fmnist_vgg", "fmnist_resnet_small", 85, 85, List.of(85.0)),
                new FinishedRun("kd_ls", "fmnist_vgg", "fmnist_resnet_small", 84, 84, List.of(84.0)),
                new FinishedRun("vanilla", "fmnist_vgg", "fmnist_resnet_small", 83, 83, List.of(83.0))));
        String md = r.format("markdown", false);
        assertTrue(md.startsWith("| method | fmnist_vgg → fmnist_resnet_small | ARI |"), md);
        assertTrue(md.contains("| kd_ls | 84.00 ± 0.00 (n=1) |"), md);
        String tex = r.format("latex", false);
        assertTrue(tex.contains("method & fmnist\\_vgg $\\to$ fmnist\\_resnet\\_small & ARI \\\\"), tex);
        assertTrue(tex.contains("kd\\_ls & 84.00 $\\pm$ 0.00 (n=1)"), tex);
        assertFalse(
                java.util.regex.Pattern.compile("(?<!\\\\)[_%#]").matcher(tex).find(),
                "an unescaped special character in\n" + tex);
        assertEquals(
                "a\\_b \\& c\\% \\$\\# \\{x\\} \\textasciitilde{}\\textasciicircum{}\\textbackslash{}",
                Report.latex("a_b & c% $# {x} ~^\\"));
    }

    private static FinishedRun costed(
            String method, String teacher, String student, double top1, double ms, long extra, boolean mean) {
        return new FinishedRun(
                method,
                teacher,
                student,
                top1,
                top1,
                List.of(top1),
                false,
                new FinishedRun.Cost(ms, mean, extra, null),
                List.of());
    }

    @Test
    void theCostTableGivesExtraParametersStepTimeAgainstKdAndWelchAgainstTheBaseline() {
        Report r = Report.of(List.of(
                costed("kd", "t", "s", 87.2, 10, 0, false),
                costed("kd", "t", "s", 87.6, 12, 0, false),
                costed("kd", "t", "s", 87.5, 11, 0, false),
                costed("crd+kd", "t", "s", 88.1, 22, 16_512, false),
                costed("crd+kd", "t", "s", 88.4, 21, 16_512, false),
                costed("crd+kd", "t", "s", 87.9, 23, 16_512, false),
                costed("vanilla", null, "s", 86.0, 5, 0, true)));
        String md = r.costAndSignificance("markdown", "kd", "kd", false);
        assertTrue(
                md.startsWith(
                        "| method | pair | n | extra params | ms/step | × kd | Δ top-1 vs kd | 95 % CI | p (Welch) |"),
                md);
        // Welch, as SciPy computes it for these trials (WelchTestTest): +0.70, [+0.17, +1.23], p 0.022.
        assertTrue(md.contains("| crd+kd | t → s | 3 | 16,512 | 22.0 | 2.00× | +0.70 | [+0.17, +1.23] | 0.022 |"), md);
        assertTrue(md.contains("| kd | t → s | 3 | 0 | 11.0 | 1.00× | (baseline) |  |  |"), md);
        // One trial: a difference, no interval; a mean step time from older runs is marked.
        assertTrue(md.contains("| vanilla | t → s | 1 | 0 | 5.0* | 0.45× | -1.43 | — | — |"), md);
        assertTrue(
                md.contains("Welch's t-test (unequal variances")
                        && md.contains("normal distribution")
                        && md.contains("* marks"),
                md);
        assertTrue(r.costAndSignificance("csv", "kd", "kd", false)
                .lines()
                .anyMatch(l -> l.startsWith("\"crd+kd\",\"t → s\",\"3\",\"16,512\"")));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> r.costAndSignificance("markdown", "dkd", "kd", false));
        assertTrue(e.getMessage().contains("'dkd'") && e.getMessage().contains("crd+kd"), e.getMessage());
        String none = r.costAndSignificance("markdown", null, "kd", false);
        assertFalse(none.contains("Welch"), none);
    }

    private static FinishedRun timedOn(String method, double ms, String processor) {
        return new FinishedRun(
                method,
                "t",
                "s",
                80,
                80,
                List.of(80.0),
                false,
                new FinishedRun.Cost(ms, false, 0, processor),
                List.of());
    }

    @Test
    void aStepTimeRatioAcrossProcessorsIsMarkedNotPassedOffAsLikeForLike() {
        Report r = Report.of(List.of(
                timedOn("kd", 10, "AMD EPYC (2 cores)"),
                timedOn("wsld", 15, "AMD EPYC (2 cores)"),
                timedOn("dkd", 12, "Intel(R) Xeon(R) Processor (2 cores)"),
                timedOn("dist", 11, null)));
        String md = r.costAndSignificance("markdown", null, "kd", false);
        assertTrue(md.contains("| wsld | t → s | 1 | 0 | 15.0 | 1.50× |"), md);
        assertTrue(md.contains("| dkd | t → s | 1 | 0 | 12.0 | 1.20×† |"), md);
        // A run made before the processor was recorded says nothing either way.
        assertTrue(md.contains("| dist | t → s | 1 | 0 | 11.0 | 1.10× |"), md);
        assertTrue(md.contains("† marks a ratio whose two sides were timed on different processors"), md);
        String same = Report.of(List.of(timedOn("kd", 10, "A"), timedOn("wsld", 15, "A")))
                .costAndSignificance("markdown", null, "kd", false);
        assertFalse(same.contains("†"), same);
    }

    @Test
    void theCostTableKeepsUnderscoredNamesWholeAndEscapesThemInLatex() {
        Report r = Report.of(List.of(
                costed("kd", "fmnist_vgg", "fmnist_resnet_small", 85, 10, 0, false),
                costed("kd_ls", "fmnist_vgg", "fmnist_resnet_small", 84, 10, 0, false)));
        String md = r.costAndSignificance("markdown", "kd", "kd", false);
        assertTrue(md.contains("| kd_ls | fmnist_vgg → fmnist_resnet_small | 1 |"), md);
        String tex = r.costAndSignificance("latex", "kd", "kd", false);
        assertTrue(tex.contains("kd\\_ls & fmnist\\_vgg $\\to$ fmnist\\_resnet\\_small & 1"), tex);
        String body = tex.lines().filter(l -> !l.startsWith("%")).reduce("", (a, b) -> a + b + "\n");
        assertFalse(
                java.util.regex.Pattern.compile("(?<!\\\\)[_%#]").matcher(body).find(),
                "an unescaped special character in\n" + tex);
    }

    @Test
    void theProjectsPaperTablesPutTheLogitBaselinesBesideCifarRuns() {
        Path file = RepositoryRoot.path().resolve("reproducibility/cifar100/paper-tables.json");
        List<FinishedRun> runs = new java.util.ArrayList<>();
        for (String method : List.of("kd", "dkd", "dist", "kd-ls", "dkd-ls", "hkd+kd")) {
            runs.add(new FinishedRun(method, "resnet32x4", "resnet8x4", 75, 75, List.of(75.0)));
            runs.add(new FinishedRun(method, "ResNet50", "vgg8", 74, 74, List.of(74.0)));
        }
        String md = Report.of(runs).withPaper(PaperTable.load(file, null)).format("markdown", false);
        // Every table of the file by default: HKD's Table 1 and the 2022-2024 logit baselines.
        java.util.Map<String, String> expected = java.util.Map.of(
                "kd",
                "[paper 73.55, Δ +1.45]",
                "dkd",
                "[paper 76.32, Δ -1.32]",
                "dist",
                "[paper 76.31, Δ -1.31]",
                "kd-ls",
                "[paper 76.62, Δ -1.62]",
                "dkd-ls",
                "[paper 77.01, Δ -2.01]");
        expected.forEach((method, cell) -> {
            String row = md.lines()
                    .filter(l -> l.startsWith("| " + method + " |"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(method + " in\n" + md));
            assertTrue(row.contains("75.00 ± 0.00 (n=1) " + cell), row);
        });
        // No paper reports DKD on ResNet50 -> vgg8: a null cell shows nothing, never 0.
        assertFalse(md.contains("paper 0.00"), md);
    }
}
