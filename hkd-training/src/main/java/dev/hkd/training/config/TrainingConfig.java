package dev.hkd.training.config;

/** How one network is trained: optimizer, schedule, batch size. */
public record TrainingConfig(OptimizerConfig optimizer, ScheduleConfig schedule, Integer batchSize) {

    public TrainingConfig {
        optimizer = optimizer == null ? OptimizerConfig.reference() : optimizer;
        schedule = schedule == null ? new ScheduleConfig(null, null, null) : schedule;
        batchSize = batchSize == null ? 64 : batchSize;
        Check.that(batchSize > 0, "batch_size", "must be > 0, got " + batchSize);
    }
}
