package dev.hkd.training.train;

import java.util.List;
import java.util.Objects;
import org.apache.commons.math3.stat.descriptive.rank.Median;

/**
 * What a finished run cost, as {@code result.json} records it and {@code ./hkd report} compares it.
 *
 * @param extraParameters     trainable parameters the method adds to the student's (heads, regressors, embeddings)
 * @param msPerStep           median over epochs of each epoch's median training-step time (ms); a step is
 *                            the batch, both forward passes, the loss, backward, SGD and the method's update
 * @param imagesPerSecond     training images per second of step time, over the whole training
 * @param peakRssMiB          the largest peak resident memory of the processes that trained the run
 * @param wallSeconds         wall time of the training: the teacher stage, every epoch's steps, evaluations and
 *                            checkpoints, summed across interruptions (start-up and obtaining the teacher excluded)
 * @param teacherStageSeconds the methods' init stages before the first distillation step (SSKD's teacher head; AB, FT, FSP's init); 0 without one
 */
public record RunCost(
        long extraParameters,
        double msPerStep,
        double imagesPerSecond,
        long peakRssMiB,
        double wallSeconds,
        double teacherStageSeconds) {

    /**
     * The cost from the run's epochs. Epochs logged before cost was recorded (a run resumed across
     * the upgrade) count for throughput only.
     */
    public static RunCost of(
            List<EpochRecord> epochs, double teacherStageSeconds, long extraParameters, long peakNowMiB) {
        double ms = median(epochs.stream()
                .map(EpochRecord::msPerStep)
                .filter(Objects::nonNull)
                .toList());
        double stepSeconds = epochs.stream().mapToDouble(EpochRecord::seconds).sum();
        double images = epochs.stream()
                .mapToDouble(e -> e.imagesPerSecond() * e.seconds())
                .sum();
        long peak = Math.max(
                peakNowMiB,
                epochs.stream()
                        .map(EpochRecord::peakRssMiB)
                        .filter(Objects::nonNull)
                        .mapToLong(Long::longValue)
                        .max()
                        .orElse(-1));
        double wall = teacherStageSeconds
                + epochs.stream()
                        .mapToDouble(e -> e.wallSeconds() == null ? e.seconds() : e.wallSeconds())
                        .sum();
        return new RunCost(extraParameters, ms, images / Math.max(1e-9, stepSeconds), peak, wall, teacherStageSeconds);
    }

    /** The median of {@code values} (of step times, of runs' medians); NaN when there are none. */
    public static double median(List<Double> values) {
        return new Median()
                .evaluate(values.stream().mapToDouble(Double::doubleValue).toArray());
    }
}
