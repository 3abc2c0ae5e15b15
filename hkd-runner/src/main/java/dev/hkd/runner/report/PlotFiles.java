package dev.hkd.runner.report;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;

/** What every report picture shares: white background, light grid, one size, a file name safe on any disk. */
final class PlotFiles {

    private PlotFiles() {
    }

    static void style(XYPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    }

    /** Saves {@code chart} as {@code dir/name.png}, characters other than letters, digits and {@code +._-} replaced. */
    static Path save(JFreeChart chart, Path dir, String name) throws IOException {
        chart.setBackgroundPaint(Color.WHITE);
        Path png = dir.resolve(name.replaceAll("[^A-Za-z0-9+._-]", "_") + ".png");
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 900, 560);
        return png;
    }
}
