package dev.hkd.training.config;

/** How one network is trained: optimizer, schedule, batch size. */
public record TrainingConfig(OptimizerConfig optimizer, ScheduleConfig schedule, Integer batchSize) {

    /** The largest batch: beyond it a step does not fit in memory, and step counts would overflow. */
    public static final int MAX_BATCH_SIZE = 65536;

    public TrainingConfig {
        optimizer = optimizer == null ? OptimizerConfig.reference() : optimizer;
        schedule = schedule == null ? new ScheduleConfig(null, null, null) : schedule;
        batchSize = batchSize == null ? 64 : batchSize;
        Check.between("batch_size", batchSize, 1, MAX_BATCH_SIZE);
    }
}
