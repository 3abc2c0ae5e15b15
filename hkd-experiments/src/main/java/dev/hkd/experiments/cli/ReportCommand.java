package dev.hkd.experiments.cli;

import dev.hkd.experiments.grid.Report;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "report", description = "Paper-style table of the finished runs below a folder: mean ± std over seeds, last and best epoch, ARI.")
final class ReportCommand implements Callable<Integer> {

    @Parameters(paramLabel = "OUTPUT_DIR", description = "a grid's output folder (or any folder of runs)")
    Path dir;

    @Option(names = "--format", defaultValue = "markdown", description = "markdown, csv or latex (default ${DEFAULT-VALUE})")
    String format;

    @Option(names = "--plots", paramLabel = "DIR", description = "also write PNG plots of test top-1 per epoch, one per pair, into DIR")
    Path plots;

    @Override
    public Integer call() {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + ": no such folder of runs");
        }
        if (!format.equals("markdown") && !format.equals("csv") && !format.equals("latex")) {
            throw new IllegalArgumentException("--format: unknown '" + format + "'; valid: markdown, csv, latex");
        }
        Report r = Report.of(dir);
        if (r.pairs().isEmpty()) {
            throw new IllegalArgumentException(dir + ": no finished distillation runs (result.json) below it");
        }
        System.out.println("Top-1 (%), last epoch, mean ± std over seeds:\n");
        System.out.print(r.format(format, false));
        System.out.println("\nTop-1 (%), best epoch, mean ± std over seeds:\n");
        System.out.print(r.format(format, true));
        if (plots != null) {
            for (Path png : dev.hkd.experiments.grid.AccuracyPlots.write(dir, plots)) {
                System.out.println("plot: " + png);
            }
        }
        return 0;
    }
}
