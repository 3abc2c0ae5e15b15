package dev.hkd.experiments.train;

import java.util.Map;

/**
 * What one epoch produced: mean train loss terms (sample-weighted), train top-1/top-5, test
 * top-1/top-5, the best test top-1 so far, learning rate, throughput and when it ended (epoch
 * milliseconds, the time trackers record).
 */
public record EpochRecord(int epoch, double learningRate, Map<String, Double> trainLoss, double trainTop1,
                          double trainTop5, double testTop1, double testTop5, double bestTop1, double imagesPerSecond,
                          double seconds, long endedAtMillis) {
}
