package dev.hkd.runner.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.labels.StandardXYItemLabelGenerator;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * One PNG per teacher→student pair: mean last-epoch top-1 against median ms per training step, one
 * point per method with its standard deviation over trials as an error bar. Methods without a
 * known step time are left out of the picture (the table still lists them).
 */
public final class CostPlots {

    private CostPlots() {}

    /** Writes {@code accuracy-vs-cost_<pair>.png} per pair into {@code out}; returns the files written. */
    public static List<Path> write(Report report, Path out) {
        try {
            Files.createDirectories(out);
            List<Path> written = new ArrayList<>();
            for (String pair : report.pairs()) {
                YIntervalSeriesCollection data = new YIntervalSeriesCollection();
                for (Map.Entry<String, Map<String, Report.Runs>> method :
                        report.table().entrySet()) {
                    Report.Runs runs = method.getValue().get(pair);
                    double ms = runs == null ? Double.NaN : Report.msPerStep(runs);
                    if (Double.isNaN(ms)) {
                        continue;
                    }
                    double mean = Report.mean(runs.last());
                    double std = Report.std(runs.last());
                    YIntervalSeries series = new YIntervalSeries(method.getKey());
                    series.add(ms, mean, mean - std, mean + std);
                    data.addSeries(series);
                }
                if (data.getSeriesCount() == 0) {
                    continue;
                }
                NumberAxis x = new NumberAxis("ms per training step (median)");
                x.setAutoRangeIncludesZero(false);
                NumberAxis y = new NumberAxis("test top-1, last epoch (%), mean ± std");
                y.setAutoRangeIncludesZero(false);
                XYErrorRenderer renderer = new XYErrorRenderer();
                renderer.setDrawXError(false);
                renderer.setDefaultItemLabelGenerator(new StandardXYItemLabelGenerator("{0}"));
                renderer.setDefaultItemLabelsVisible(true);
                XYPlot plot = new XYPlot(data, x, y, renderer);
                PlotFiles.style(plot);
                JFreeChart chart =
                        new JFreeChart(pair + ": accuracy against cost", JFreeChart.DEFAULT_TITLE_FONT, plot, true);
                written.add(PlotFiles.save(chart, out, "accuracy-vs-cost_" + pair.replace(" → ", "-to-")));
            }
            return written;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
