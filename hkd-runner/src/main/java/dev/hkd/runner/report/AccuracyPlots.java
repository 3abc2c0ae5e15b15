package dev.hkd.runner.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * One PNG per teacher→student pair: test top-1 per epoch, one line per method (the mean over its
 * seeds).
 */
public final class AccuracyPlots {

    private AccuracyPlots() {}

    /** Writes one plot per pair into {@code out}; returns the files written. */
    public static List<Path> write(List<FinishedRun> runs, Path out) {
        Map<String, Map<String, List<List<Double>>>> byPair = new TreeMap<>();
        for (FinishedRun run : runs) {
            String pair = (run.teacher() == null ? "none" : run.teacher()) + "-to-" + run.student();
            byPair.computeIfAbsent(pair, k -> new TreeMap<>())
                    .computeIfAbsent(run.method(), k -> new ArrayList<>())
                    .add(run.testTop1ByEpoch());
        }
        try {
            Files.createDirectories(out);
            List<Path> written = new ArrayList<>();
            for (Map.Entry<String, Map<String, List<List<Double>>>> pair : byPair.entrySet()) {
                XYSeriesCollection data = new XYSeriesCollection();
                pair.getValue().forEach((method, seeds) -> data.addSeries(meanSeries(method, seeds)));
                JFreeChart chart = ChartFactory.createXYLineChart(
                        pair.getKey().replace("-to-", " → "),
                        "epoch",
                        "test top-1 (%)",
                        data,
                        PlotOrientation.VERTICAL,
                        true,
                        false,
                        false);
                org.jfree.chart.plot.XYPlot plot = chart.getXYPlot();
                org.jfree.chart.renderer.xy.XYLineAndShapeRenderer renderer =
                        new org.jfree.chart.renderer.xy.XYLineAndShapeRenderer(true, true);
                plot.setRenderer(renderer);
                PlotFiles.style(plot);
                plot.getDomainAxis().setStandardTickUnits(org.jfree.chart.axis.NumberAxis.createIntegerTickUnits());
                ((org.jfree.chart.axis.NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
                written.add(PlotFiles.save(chart, out, pair.getKey()));
            }
            return written;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static XYSeries meanSeries(String method, List<List<Double>> seeds) {
        XYSeries series = new XYSeries(method);
        int epochs = seeds.stream().mapToInt(List::size).min().orElse(0);
        for (int e = 0; e < epochs; e++) {
            final int i = e;
            series.add(
                    e + 1, seeds.stream().mapToDouble(s -> s.get(i)).average().orElse(Double.NaN));
        }
        return series;
    }
}
