package dev.hkd.runner.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * One PNG per method and pair whose runs logged more than the cross-entropy: each unweighted
 * train-loss term per epoch (the mean over trials), on a log scale, since the terms differ by orders
 * of magnitude. Shows which term falls, which stalls, and when.
 */
public final class LossTermPlots {

    private LossTermPlots() {}

    /** Writes {@code loss-terms_<method>_<pair>.png} files into {@code out}; returns them. */
    public static List<Path> write(List<FinishedRun> runs, Path out) {
        Map<String, List<FinishedRun>> groups = new TreeMap<>();
        for (FinishedRun run : runs) {
            if (!run.diverged()
                    && !run.trainLossByEpoch().isEmpty()
                    && run.trainLossByEpoch().get(0).size() > 2) {
                groups.computeIfAbsent(run.method() + "|" + run.pair(), k -> new ArrayList<>())
                        .add(run);
            }
        }
        try {
            Files.createDirectories(out);
            List<Path> written = new ArrayList<>();
            for (Map.Entry<String, List<FinishedRun>> group : groups.entrySet()) {
                String[] key = group.getKey().split("\\|");
                XYSeriesCollection data = new XYSeriesCollection();
                meanTerms(group.getValue()).forEach((term, perEpoch) -> {
                    XYSeries series = new XYSeries(term);
                    for (int e = 0; e < perEpoch.size(); e++) {
                        if (perEpoch.get(e) > 0) {
                            series.add(e + 1, perEpoch.get(e));
                        }
                    }
                    data.addSeries(series);
                });
                NumberAxis x = new NumberAxis("epoch");
                x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
                LogAxis y = new LogAxis("train loss term (unweighted), mean over "
                        + group.getValue().size() + " trials");
                XYPlot plot = new XYPlot(data, x, y, new XYLineAndShapeRenderer(true, true));
                PlotFiles.style(plot);
                JFreeChart chart = new JFreeChart(
                        key[0] + " on " + key[1] + ": loss terms per epoch", JFreeChart.DEFAULT_TITLE_FONT, plot, true);
                written.add(PlotFiles.save(chart, out, "loss-terms_" + key[0] + "_" + key[1].replace(" → ", "-to-")));
            }
            return written;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** term → mean over runs per epoch, over the epochs every run has; the weighted total left out. */
    static Map<String, List<Double>> meanTerms(List<FinishedRun> runs) {
        int epochs =
                runs.stream().mapToInt(r -> r.trainLossByEpoch().size()).min().orElse(0);
        Map<String, List<Double>> terms = new LinkedHashMap<>();
        for (String term : runs.get(0).trainLossByEpoch().get(0).keySet()) {
            if (term.equals("loss")) {
                continue;
            }
            List<Double> means = new ArrayList<>();
            for (int e = 0; e < epochs; e++) {
                final int i = e;
                means.add(runs.stream()
                        .mapToDouble(r -> r.trainLossByEpoch().get(i).getOrDefault(term, Double.NaN))
                        .average()
                        .orElse(Double.NaN));
            }
            terms.put(term, means);
        }
        return terms;
    }
}
