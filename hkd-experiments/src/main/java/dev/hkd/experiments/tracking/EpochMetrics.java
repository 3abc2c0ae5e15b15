package dev.hkd.experiments.tracking;

import dev.hkd.experiments.train.EpochRecord;
import java.util.LinkedHashMap;
import java.util.Map;

/** The metric names a tracker records for one epoch (logged at step = epoch number). */
public final class EpochMetrics {

    private EpochMetrics() {
    }

    /**
     * {@code train_loss} (the weighted total), {@code loss_<term>} for each unweighted term,
     * {@code train_top1/5}, {@code test_top1/5}, {@code best_top1}, {@code lr},
     * {@code images_per_s} and {@code epoch_seconds}.
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
        return m;
    }
}
