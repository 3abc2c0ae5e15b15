package dev.hkd.runner.report;

import dev.hkd.training.config.ConfigException;
import dev.hkd.training.io.RunFolder;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;

/** What every report picture shares: white background, light grid, one size, a file name safe on any disk. */
final class PlotFiles {

    private PlotFiles() {}

    static void style(XYPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    }

    /** The list of the plots a report wrote into a folder: what a later report may replace there. */
    static final String MARKER = ".hkd-plots";

    /**
     * Saves {@code chart} as {@code dir/name.png}, characters other than letters, digits and {@code +._-}
     * replaced. A file of that name that an earlier report did not write (it is not in the folder's
     * {@value #MARKER}) is never overwritten: a one-line error names it.
     */
    static Path save(JFreeChart chart, Path dir, String name) throws IOException {
        chart.setBackgroundPaint(Color.WHITE);
        String file = name.replaceAll("[^A-Za-z0-9+._-]", "_") + ".png";
        if (file.length() > 200) {
            file = file.substring(0, 180) + "_" + Integer.toHexString(file.hashCode()) + ".png";
        }
        Path png = dev.hkd.runner.run.ContainedPath.child(dir, file, "--plots");
        Path marker = dir.resolve(MARKER);
        java.util.Set<String> ours = new java.util.TreeSet<>();
        if (Files.isRegularFile(marker)) {
            ours.addAll(Files.readAllLines(marker));
        }
        if (Files.exists(png) && !ours.contains(file)) {
            throw new ConfigException(
                    "--plots " + dir + ": " + png.getFileName() + " exists and is not a plot a report wrote there"
                            + " (not in " + MARKER + "); choose another folder or move the file");
        }
        Files.createDirectories(dir);
        if (ours.add(file)) {
            RunFolder.writeAtomically(marker, String.join("\n", ours) + "\n");
        }
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 900, 560);
        return png;
    }
}
