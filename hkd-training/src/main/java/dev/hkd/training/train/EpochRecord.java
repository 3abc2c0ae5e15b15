package dev.hkd.training.train;

import java.util.List;
import java.util.Map;

/**
 * What one epoch produced: mean train loss terms (sample-weighted), train top-1/top-5, test
 * top-1/top-5, the best test top-1 so far, learning rate, throughput and when it ended (epoch
 * milliseconds, the time trackers record).
 *
 * <p>Cost, null in lines written before it was recorded: {@code msPerStep} is the median wall time
 * of the epoch's training steps (batch, forward, loss, backward, SGD, state update);
 * {@code peakRssMiB} the process's peak resident memory when the epoch ended; {@code wallSeconds}
 * the epoch's whole wall time (steps, evaluation, checkpoints), across interruptions.
 * {@code seconds} is the steps' time alone, from which {@code imagesPerSecond} comes.
 */
public record EpochRecord(
        int epoch,
        double learningRate,
        Map<String, Double> trainLoss,
        double trainTop1,
        double trainTop5,
        double testTop1,
        double testTop5,
        double bestTop1,
        double imagesPerSecond,
        double seconds,
        long endedAtMillis,
        Double msPerStep,
        Long peakRssMiB,
        Double wallSeconds) {

    /**
     * The fields that measure time or memory, and so the only ones in which two runs of one
     * configuration and seed on one machine and thread count may differ: every other number of a
     * metrics line is reproduced bit for bit.
     */
    public static final List<String> MEASURED =
            List.of("imagesPerSecond", "seconds", "endedAtMillis", "msPerStep", "peakRssMiB", "wallSeconds");
}
