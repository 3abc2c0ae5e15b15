package dev.hkd.runner.tracking;

import dev.hkd.training.train.EpochRecord;
import dev.hkd.training.train.RunCost;
import java.util.LinkedHashMap;
import java.util.Map;

/** The metric names a tracker records for one epoch (logged at step = epoch number). */
public final class EpochMetrics {

    public static final String EXTRA_PARAMETERS = "cost_extra_parameters";
    public static final String MS_PER_STEP = "cost_ms_per_step";

    private EpochMetrics() {}

    /**
     * {@code train_loss} (the weighted total), {@code loss_<term>} for each unweighted term,
     * {@code train_top1/5}, {@code test_top1/5}, {@code best_top1}, {@code lr},
     * {@code images_per_s} and {@code epoch_seconds}; where recorded, {@code ms_per_step} (the epoch's
     * median step), {@code peak_rss_mib} and {@code epoch_wall_seconds}.
     */
    public static Map<String, Double> of(EpochRecord r) {
        Map<String, Double> m = new LinkedHashMap<>();
        r.trainLoss().forEach((term, value) -> m.put(term.equals("loss") ? "train_loss" : "loss_" + term, value));
        m.put("train_top1", r.trainTop1());
        m.put("train_top5", r.trainTop5());
        m.put("test_top1", r.testTop1());
        m.put("test_top5", r.testTop5());
        m.put("best_top1", r.bestTop1());
        m.put("lr", r.learningRate());
        m.put("images_per_s", r.imagesPerSecond());
        m.put("epoch_seconds", r.seconds());
        if (r.msPerStep() != null) {
            m.put("ms_per_step", r.msPerStep());
        }
        if (r.peakRssMiB() != null) {
            m.put("peak_rss_mib", r.peakRssMiB().doubleValue());
        }
        if (r.wallSeconds() != null) {
            m.put("epoch_wall_seconds", r.wallSeconds());
        }
        return m;
    }

    /**
     * A finished run's cost ({@code result.json}'s {@code cost}) as metrics, logged at the last
     * epoch: {@code cost_extra_parameters}, {@code cost_ms_per_step}, {@code cost_images_per_s},
     * {@code cost_peak_rss_mib}, {@code cost_wall_seconds}, {@code cost_teacher_stage_seconds}.
     */
    public static Map<String, Double> of(RunCost c) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(EXTRA_PARAMETERS, (double) c.extraParameters());
        m.put(MS_PER_STEP, c.msPerStep());
        m.put("cost_images_per_s", c.imagesPerSecond());
        m.put("cost_peak_rss_mib", (double) c.peakRssMiB());
        m.put("cost_wall_seconds", c.wallSeconds());
        m.put("cost_teacher_stage_seconds", c.teacherStageSeconds());
        return m;
    }
}
