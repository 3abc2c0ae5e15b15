package dev.hkd.training.train;

import dev.hkd.training.models.FeatureNetwork;

/**
 * A frozen teacher ready for distillation.
 *
 * @param network initialised, parameters frozen
 * @param accuracy its test accuracy on this run's test set
 * @param origin where it came from, for logs ("checkpoint …", "cache …", "trained …")
 * @param reused whether it came from the teacher cache
 */
public record Teacher(FeatureNetwork network, Accuracy accuracy, String origin, boolean reused) {

    /** The log line every run prints about its teacher. */
    public String summary() {
        return String.format(
                "Teacher %s: top-1 %.2f%%, top-5 %.2f%% (%s)",
                network.modelName(), accuracy.top1(), accuracy.top5(), origin);
    }
}
