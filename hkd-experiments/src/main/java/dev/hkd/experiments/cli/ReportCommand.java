package dev.hkd.experiments.cli;

import dev.hkd.runner.report.AccuracyPlots;
import dev.hkd.runner.report.CostPlots;
import dev.hkd.runner.report.FinishedRun;
import dev.hkd.runner.report.LossTermPlots;
import dev.hkd.runner.report.MlflowRuns;
import dev.hkd.runner.report.PaperTable;
import dev.hkd.runner.report.Report;
import dev.hkd.runner.report.RunStore;
import dev.hkd.runner.tracking.TrackingServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "report",
        description = "Paper-style table of finished runs (a folder, or an MLflow experiment): mean ± std over seeds,"
                + " last and best epoch, ARI; optionally the paper's numbers beside ours, and plots.")
final class ReportCommand implements Callable<Integer> {

    @Parameters(
            paramLabel = "OUTPUT_DIR",
            arity = "0..1",
            description = "a grid's output folder (or any folder of runs)")
    Path dir;

    @Option(
            names = "--mlflow-experiment",
            paramLabel = "NAME",
            description = "read the runs from this MLflow experiment instead of a folder")
    String experiment;

    @Option(
            names = "--tracking-uri",
            paramLabel = "URL",
            description = "with --mlflow-experiment: the server (default $MLFLOW_TRACKING_URI)")
    String trackingUri;

    @Option(
            names = "--format",
            defaultValue = "markdown",
            description = "markdown, csv or latex (default ${DEFAULT-VALUE})")
    String format;

    @Option(
            names = "--paper",
            paramLabel = "FILE",
            description =
                    "a paper-tables.json whose numbers go beside ours (e.g. reproducibility/cifar100/paper-tables.json)")
    Path paper;

    @Option(
            names = "--paper-table",
            paramLabel = "NAME[,NAME…]",
            description =
                    "the tables of --paper to use, comma-separated (default: every table in it with pairs and rows)")
    String paperTable;

    @Option(
            names = "--plots",
            paramLabel = "DIR",
            description = "also write PNG plots into DIR, per pair: test top-1 per epoch,"
                    + " and top-1 against ms per step (error bars: std over trials)")
    Path plots;

    @Option(
            names = "--where",
            paramLabel = "KEY=VALUE",
            description = "only runs whose configuration has this value"
                    + " (dotted keys as in MLflow's params, e.g. training.schedule.epochs=30); repeatable")
    java.util.Map<String, String> where = new java.util.LinkedHashMap<>();

    /** What papers compare a distiller with, and what step times are relative to, when the table has it. */
    private static final String DEFAULT_BASELINE = "kd";

    @Option(
            names = "--baseline",
            paramLabel = "METHOD",
            description = "the method each row is compared with (Welch's t-test,"
                    + " 95 %% interval); default kd when the table has it; 'none' for no comparison")
    String baseline;

    @Override
    public Integer call() {
        if (!format.equals("markdown") && !format.equals("csv") && !format.equals("latex")) {
            throw new IllegalArgumentException("--format: unknown '" + format + "'; valid: markdown, csv, latex");
        }
        if ((dir == null) == (experiment == null)) {
            throw new IllegalArgumentException("give either OUTPUT_DIR or --mlflow-experiment NAME");
        }
        List<FinishedRun> runs;
        String source;
        if (experiment != null) {
            TrackingServer server = TrackingServer.resolve(trackingUri, System.getenv())
                    .orElseThrow(() -> new IllegalArgumentException(
                            "--mlflow-experiment needs a server: pass --tracking-uri URL or set MLFLOW_TRACKING_URI"));
            runs = MlflowRuns.read(server, experiment, where);
            source = "experiment '" + experiment + "' on " + server;
        } else {
            if (!Files.isDirectory(dir)) {
                throw new IllegalArgumentException(dir + ": no such folder of runs");
            }
            runs = RunStore.read(dir, where);
            source = dir.toString();
        }
        Report r = Report.of(runs);
        if (paper != null) {
            r.withPaper(PaperTable.load(paper, paperTable));
        }
        if (r.pairs().isEmpty()) {
            throw new IllegalArgumentException(
                    source + ": no finished distillation runs" + (where.isEmpty() ? "" : " with " + where));
        }
        System.out.println("Top-1 (%), last epoch, mean ± std over seeds:\n");
        System.out.print(r.format(format, false));
        System.out.println("\nTop-1 (%), best epoch, mean ± std over seeds:\n");
        System.out.print(r.format(format, true));
        String present = r.has(DEFAULT_BASELINE) ? DEFAULT_BASELINE : null;
        String against = baseline == null ? present : baseline.equals("none") ? null : baseline;
        System.out.println(
                "\nCost" + (against == null ? "" : " and significance against " + against + " (last epoch)") + ":\n");
        System.out.print(r.costAndSignificance(format, against, present, false));
        if (plots != null) {
            List<Path> pngs = new java.util.ArrayList<>(AccuracyPlots.write(runs, plots));
            pngs.addAll(CostPlots.write(r, plots));
            pngs.addAll(LossTermPlots.write(runs, plots));
            for (Path png : pngs) {
                System.out.println("plot: " + png);
            }
        }
        return 0;
    }
}
