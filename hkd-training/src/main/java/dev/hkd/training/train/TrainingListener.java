package dev.hkd.training.train;

import java.util.Map;

/**
 * Observes a training run: the console progress bar, the metrics log, trackers. Not DJL's
 * {@code ai.djl.training.listener.TrainingListener}, which listens to DJL's own training loop; the
 * loop here is {@link Trainer}'s, so its events are ours (epoch start and end, step, losses).
 */
public interface TrainingListener {

    default void onEpochStart(int epoch, int epochs, int steps, int firstStep) {}

    /** After each optimizer step, with the step's loss terms (host scalars). */
    default void onStep(int epoch, int step, Map<String, Double> losses) {}

    default void onEpochEnd(EpochRecord record) {}

    /** After each epoch of a method's init stage (before distillation starts). */
    default void onInitStageEpoch(int epoch, int epochs, double learningRate, double loss) {}

    /** Combines listeners. */
    static TrainingListener all(TrainingListener... listeners) {
        return new TrainingListener() {
            @Override
            public void onEpochStart(int epoch, int epochs, int steps, int firstStep) {
                for (TrainingListener l : listeners) {
                    l.onEpochStart(epoch, epochs, steps, firstStep);
                }
            }

            @Override
            public void onStep(int epoch, int step, Map<String, Double> losses) {
                for (TrainingListener l : listeners) {
                    l.onStep(epoch, step, losses);
                }
            }

            @Override
            public void onEpochEnd(EpochRecord record) {
                for (TrainingListener l : listeners) {
                    l.onEpochEnd(record);
                }
            }

            @Override
            public void onInitStageEpoch(int epoch, int epochs, double learningRate, double loss) {
                for (TrainingListener l : listeners) {
                    l.onInitStageEpoch(epoch, epochs, learningRate, loss);
                }
            }
        };
    }
}
