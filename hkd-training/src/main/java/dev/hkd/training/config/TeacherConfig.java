package dev.hkd.training.config;

/**
 * The frozen teacher: a zoo {@code model} with a {@code checkpoint} (ours, or a PyTorch state
 * dict), or trained first with {@code training} and cached by its config; or a TensorFlow
 * {@code saved_model} run by DJL's TensorFlow engine. {@code seed}, if set, is the seed of the
 * teacher's own training (default: the run's), so that the trials of a grid can share one teacher
 * as in the papers.
 */
public record TeacherConfig(
        String model, String checkpoint, TrainingConfig training, SavedModelConfig savedModel, Long seed) {

    public TeacherConfig(String model, String checkpoint, TrainingConfig training) {
        this(model, checkpoint, training, null, null);
    }

    public TeacherConfig {
        Check.that(
                savedModel != null || (model != null && !model.isBlank()), "model", "is required (or a saved_model)");
        Check.that(
                savedModel == null || (model == null && checkpoint == null),
                "saved_model",
                "replaces model and checkpoint; give one or the other");
        Check.that(
                seed == null || (seed >= 0 && seed <= RunConfig.MAX_SEED),
                "seed",
                "must be in [0, " + RunConfig.MAX_SEED + "], got " + seed);
        training = training == null ? new TrainingConfig(null, null, null) : training;
    }
}
