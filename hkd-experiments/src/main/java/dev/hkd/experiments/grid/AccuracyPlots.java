package dev.hkd.experiments.grid;

import dev.hkd.experiments.config.ConfigLoader;
import dev.hkd.experiments.config.RunConfig;
import dev.hkd.experiments.run.TrainingRun;
import dev.hkd.experiments.train.EpochRecord;
import dev.hkd.experiments.train.MetricsLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * One PNG per teacher→student pair: test top-1 per epoch, one line per method (the mean over its
 * seeds), from the {@code metrics.jsonl} of the finished runs below a folder.
 */
public final class AccuracyPlots {

    private AccuracyPlots() {
    }

    /** Writes the plots into {@code out}; returns the files written. */
    public static List<Path> write(Path runs, Path out) {
        Map<String, Map<String, List<List<EpochRecord>>>> byPair = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(runs)) {
            for (Path result : walk.filter(p -> p.getFileName().toString().equals(TrainingRun.RESULT_FILE)).sorted().toList()) {
                Path folder = result.getParent();
                if (!Files.isRegularFile(folder.resolve("config.yaml"))) {
                    continue;
                }
                RunConfig c = ConfigLoader.loadRun(folder.resolve("config.yaml"));
                String teacher = c.teacher() == null ? "none" : c.teacher().savedModel() != null ? "saved_model" : c.teacher().model();
                String pair = teacher + "-to-" + c.student().model();
                byPair.computeIfAbsent(pair, k -> new TreeMap<>()).computeIfAbsent(c.method().name(), k -> new ArrayList<>())
                        .add(new MetricsLog(folder.resolve("metrics.jsonl")).read());
            }
            Files.createDirectories(out);
            List<Path> written = new ArrayList<>();
            for (Map.Entry<String, Map<String, List<List<EpochRecord>>>> pair : byPair.entrySet()) {
                XYSeriesCollection data = new XYSeriesCollection();
                pair.getValue().forEach((method, seeds) -> data.addSeries(meanSeries(method, seeds)));
                JFreeChart chart = ChartFactory.createXYLineChart(pair.getKey().replace("-to-", " → "), "epoch",
                        "test top-1 (%)", data, PlotOrientation.VERTICAL, true, false, false);
                org.jfree.chart.plot.XYPlot plot = chart.getXYPlot();
                org.jfree.chart.renderer.xy.XYLineAndShapeRenderer renderer = new org.jfree.chart.renderer.xy.XYLineAndShapeRenderer(true, true);
                plot.setRenderer(renderer);
                plot.setBackgroundPaint(java.awt.Color.WHITE);
                plot.getDomainAxis().setStandardTickUnits(org.jfree.chart.axis.NumberAxis.createIntegerTickUnits());
                ((org.jfree.chart.axis.NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
                Path png = out.resolve(pair.getKey().replaceAll("[^A-Za-z0-9+._-]", "_") + ".png");
                ChartUtils.saveChartAsPNG(png.toFile(), chart, 900, 560);
                written.add(png);
            }
            return written;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static XYSeries meanSeries(String method, List<List<EpochRecord>> seeds) {
        XYSeries series = new XYSeries(method);
        int epochs = seeds.stream().mapToInt(List::size).min().orElse(0);
        for (int e = 0; e < epochs; e++) {
            final int i = e;
            series.add(e + 1, seeds.stream().mapToDouble(s -> s.get(i).testTop1()).average().orElse(Double.NaN));
        }
        return series;
    }
}
