package dev.hkd.runner.run;

import dev.hkd.training.train.EpochRecord;
import dev.hkd.training.train.TrainingListener;
import java.io.PrintStream;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar with step rate, loss terms and ETA on a terminal; one line per epoch elsewhere
 * (logs, CI).
 */
final class ConsoleProgress implements TrainingListener {

    private final PrintStream out;
    private final boolean bar;
    private final String task;
    private ProgressBar progress;
    private int epochs;
    private int steps;
    private final java.util.Map<String, Double> window = new java.util.LinkedHashMap<>();
    private int windowSteps;

    ConsoleProgress(PrintStream out, boolean bar, String task) {
        this.out = out;
        this.bar = bar;
        this.task = task;
    }

    @Override
    public void onEpochStart(int epoch, int epochs, int steps, int firstStep) {
        this.epochs = epochs;
        this.steps = steps;
        window.clear();
        windowSteps = 0;
        if (bar) {
            progress = new ProgressBarBuilder()
                    .setTaskName(task + " " + (epoch + 1) + "/" + epochs)
                    .setInitialMax(steps)
                    .setStyle(ProgressBarStyle.ASCII)
                    .showSpeed()
                    .setUnit(" it", 1)
                    .setUpdateIntervalMillis(250)
                    .continuousUpdate()
                    .build();
            progress.stepTo(firstStep);
        }
    }

    @Override
    public void onInitStageEpoch(int epoch, int epochs, double learningRate, double loss) {
        out.printf("  init stage %d/%d lr %.5f | loss=%.4f%n", epoch, epochs, learningRate, loss);
    }

    @Override
    public void onStep(int epoch, int step, Map<String, Double> losses) {
        if (progress == null) {
            // Without a terminal: the mean of each quarter of the epoch, so a log shows the trend.
            losses.forEach((k, v) -> window.merge(k, v, Double::sum));
            windowSteps++;
            int quarter = Math.max(1, steps / 4);
            if (steps >= 8 && step % quarter == 0 && step <= 3 * quarter) {
                StringBuilder sb = new StringBuilder();
                window.forEach(
                        (k, v) -> sb.append(' ').append(k).append('=').append(String.format("%.4f", v / windowSteps)));
                out.printf("    step %d/%d |%s%n", step, steps, sb);
                window.clear();
                windowSteps = 0;
            }
        } else {
            progress.stepTo(step);
            StringBuilder sb = new StringBuilder();
            losses.forEach((k, v) ->
                    sb.append(k).append(' ').append(String.format("%.3f", v)).append(' '));
            // The bar prints its speed right before this message; without a separator they run together.
            progress.setExtraMessage("| " + sb.toString().trim());
        }
    }

    @Override
    public void onEpochEnd(EpochRecord r) {
        if (progress != null) {
            progress.close();
            progress = null;
        }
        StringBuilder terms = new StringBuilder();
        r.trainLoss().forEach((k, v) -> terms.append(' ').append(k).append('=').append(String.format("%.4f", v)));
        out.printf(
                "  epoch %d/%d lr %.4g |%s | train top-1 %.2f%% | test top-1 %.2f%% top-5 %.2f%% (best %.2f%%) | %.0f img/s%n",
                r.epoch(),
                epochs,
                r.learningRate(),
                terms,
                r.trainTop1(),
                r.testTop1(),
                r.testTop5(),
                r.bestTop1(),
                r.imagesPerSecond());
    }
}
