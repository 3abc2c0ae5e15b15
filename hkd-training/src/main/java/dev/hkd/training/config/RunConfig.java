package dev.hkd.training.config;

/**
 * One training run, as written in a YAML file (snake_case keys; unknown keys are errors).
 *
 * <pre>{@code
 * seed: 1
 * data: {dataset: fashion-mnist}
 * teacher: {model: fmnist_resnet}
 * student: {model: fmnist_cnn}
 * method: {name: kd}
 * training: {schedule: {epochs: 10, milestones: [5, 8]}}
 * output: runs/kd
 * }</pre>
 *
 * Whether {@code teacher} is required depends on the method's needs, which only the method set
 * knows: {@code MethodSet.forRun} checks it (vanilla and Tf-KD run without one).
 */
public record RunConfig(
        Long seed,
        DataConfig data,
        TeacherConfig teacher,
        StudentConfig student,
        MethodConfig method,
        TrainingConfig training,
        Integer evalBatchSize,
        Integer checkpointEverySteps,
        String output) {

    /** The largest seed: 2^53 - 1, the largest integer every JSON reader (and MLflow's UI) keeps exactly. */
    public static final long MAX_SEED = (1L << 53) - 1;

    public RunConfig {
        seed = seed == null ? 0L : seed;
        data = data == null ? new DataConfig(null, null, null, null) : data;
        method = method == null ? new MethodConfig(null, null, null) : method;
        training = training == null ? new TrainingConfig(null, null, null) : training;
        evalBatchSize = evalBatchSize == null ? 256 : evalBatchSize;
        checkpointEverySteps = checkpointEverySteps == null ? 0 : checkpointEverySteps;
        output = output == null ? "runs/run" : output;
        Check.that(student != null, "student", "is required (e.g. student: {model: fmnist_cnn})");
        Check.between("seed", seed, 0, MAX_SEED);
        Check.between("eval_batch_size", evalBatchSize, 1, TrainingConfig.MAX_BATCH_SIZE);
        Check.that(checkpointEverySteps >= 0, "checkpoint_every_steps", "must be >= 0, got " + checkpointEverySteps);
    }
}
