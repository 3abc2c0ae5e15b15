package dev.hkd.experiments.config;

/**
 * The frozen teacher: a checkpoint file written by {@code hkd train}, or — when
 * {@code checkpoint} is absent — trained first with {@code training} and cached by its config.
 */
public record TeacherConfig(String model, String checkpoint, TrainingConfig training) {

    public TeacherConfig {
        Check.that(model != null && !model.isBlank(), "model", "is required");
        training = training == null ? new TrainingConfig(null, null, null) : training;
    }
}
