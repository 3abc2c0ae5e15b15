package dev.hkd.training.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import dev.hkd.api.InitStage;
import dev.hkd.training.config.TrainingConfig;
import dev.hkd.training.data.ImageSet;
import dev.hkd.training.data.RunData;
import dev.hkd.training.io.PausePoints;
import dev.hkd.training.io.RunFolder;
import dev.hkd.training.io.SafeTensors;
import dev.hkd.training.io.SafeTensorsException;
import dev.hkd.training.methods.MethodSet;
import dev.hkd.training.models.FeatureNetwork;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The training loop: per step, the frozen teacher's forward pass outside gradient recording
 * ({@link TeacherPass}), the student's forward pass and the method's loss inside it, backward,
 * SGD, then the method's state update; every step's arrays live in a scope closed after the step.
 * {@link #run} drives it alone; {@link #begin}, {@link #step} and {@link #pause} let a
 * {@link CohortTrainer} drive several over one teacher pass per batch. Evaluates each epoch,
 * checkpoints atomically (each epoch and every {@code checkpointEverySteps}), and resumes from
 * {@code last.safetensors} in the output folder at the exact step it stopped. Not DJL's
 * {@code ai.djl.training.Trainer}: DJL's loop has no frozen teacher, memory banks or exact resume,
 * so this project runs its own and uses DJL for the engine, the arrays and autograd.
 */
public final class Trainer {

    /**
     * Everything a run needs; networks are initialised, the method prepared.
     *
     * <pre>{@code
     * new Trainer(new Trainer.Setup(
     *         root,
     *         new Networks(student, teacher),
     *         method,
     *         null, // no memory bank
     *         RunData.load(config.data(), null, System.getenv()),
     *         new Trainer.Recipe(config.training(), config.seed(), 500, 100),
     *         new Trainer.Output(new RunFolder(Path.of("runs/kd")), new TrainingListener() {})));
     * }</pre>
     *
     * @param contrast the negatives of a memory-bank method; null for one without
     */
    public record Setup(
            NDManager manager,
            Networks networks,
            MethodSet method,
            ContrastSource contrast,
            RunData data,
            Recipe recipe,
            Output output) {}

    /**
     * How the run trains and evaluates.
     *
     * @param seed selects the batch order, the augmentation and every other random stream
     * @param checkpointEverySteps a checkpoint within the epoch every so many steps (0: at each epoch's end only)
     */
    public record Recipe(TrainingConfig training, long seed, int evalBatchSize, int checkpointEverySteps) {}

    /** Where the run writes (checkpoints, {@code metrics.jsonl}) and who hears of its progress. */
    public record Output(RunFolder folder, TrainingListener listener) {}

    /** The outcome of {@link #run}; {@code teacherStageSeconds}: the methods' init stages (SSKD's teacher head; AB, FT, FSP's init), 0 without. */
    public record Result(List<EpochRecord> epochs, boolean finished, long stepsRun, double teacherStageSeconds) {

        public EpochRecord last() {
            return epochs.get(epochs.size() - 1);
        }
    }

    private final NDManager manager;
    private final FeatureNetwork student;
    private final MethodSet method;
    private final ImageSet test;
    private final TrainingConfig training;
    private final Recipe recipe;
    private final RunFolder folder;
    private final TrainingListener listener;
    private final Map<String, Parameter> trained = new LinkedHashMap<>();
    private final Map<String, Block> modules;
    private final Sgd sgd;
    private final TrainingBatches batches;
    private final TrainingStep stepper;
    private final MetricsLog metrics;
    private final int stepsPerEpoch;

    /** Position and partial-epoch sums: exactly what a checkpoint carries. */
    private EpochProgress progress = new EpochProgress();

    private boolean begun;
    private boolean epochStarted;
    private long wallFrom;
    /** This process's step times in the current epoch (ms); a resumed epoch's median uses the steps after the resume. */
    private final List<Double> stepMillis = new ArrayList<>();

    public Trainer(Setup setup) {
        this.manager = setup.manager();
        this.student = setup.networks().student();
        this.method = setup.method();
        this.test = setup.data().test();
        this.recipe = setup.recipe();
        this.training = recipe.training();
        this.folder = setup.output().folder();
        this.listener = setup.output().listener();
        this.modules = method.trainableModules();
        // A streamed set's batches are decoded ahead of the steps; one held in memory is made as it is asked for.
        this.batches = TrainingBatches.forRun(
                setup.data().train(), setup.data().augmentation(), recipe.seed(), training.batchSize());
        StepAssembly.Assembled assembled = StepAssembly.assemble(
                manager,
                new TrainingStep.Parts(setup.networks(), method, batches, recipe.seed(), setup.contrast()),
                training.optimizer());
        trained.putAll(assembled.trained());
        this.sgd = assembled.sgd();
        this.stepper = assembled.step();
        this.metrics = new MetricsLog(folder.metrics());
        int batch = training.batchSize();
        this.stepsPerEpoch = (setup.data().train().size() + batch - 1) / batch;
    }

    /** The parameters SGD trains: the student's and the method modules', under their checkpoint names. */
    public static Map<String, Parameter> trainedParameters(FeatureNetwork student, Map<String, Block> modules) {
        Map<String, Parameter> trained = new LinkedHashMap<>();
        Checkpoint.parameters(student).forEach((k, p) -> {
            if (p.requiresGradient()) {
                trained.put(Checkpoint.STUDENT + k, p);
            }
        });
        modules.forEach((name, block) -> Checkpoint.parameters(block).forEach((k, p) -> {
            if (p.requiresGradient()) {
                trained.put(Checkpoint.MODULE + name + "/" + k, p);
            }
        }));
        return trained;
    }

    /** How many parameters SGD trains: the student's and the method modules'. */
    public long trainedParameterCount() {
        return trained.values().stream()
                .mapToLong(p -> p.getArray().getShape().size())
                .sum();
    }

    /** The student this trainer trains (for tests that compare its parameters). */
    FeatureNetwork student() {
        return student;
    }

    public Path lastCheckpoint() {
        return folder.lastCheckpoint();
    }

    /** Runs (or resumes) to the end of the schedule. */
    public Result run() {
        return run(Long.MAX_VALUE);
    }

    /** Runs at most {@code maxSteps} optimizer steps in this call, then checkpoints and returns. */
    public Result run(long maxSteps) {
        try {
            return runSteps(maxSteps);
        } finally {
            batches.discardAhead();
        }
    }

    private Result runSteps(long maxSteps) {
        begin();
        long ran = 0;
        while (!finished()) {
            if (ran >= maxSteps) {
                return pause(ran);
            }
            try (NDScope scope = new NDScope();
                    NDManager m = manager.newSubManager()) {
                step(stepper.pass().batch(m, progress.epoch(), progress.step(), training.batchSize()));
                scope.suppressNotUsedWarning();
            }
            ran++;
        }
        return result(ran);
    }

    /**
     * Restores the last checkpoint, or runs the methods' teacher stages on a fresh start; then
     * {@link #step} may be called. Once per trainer: later calls do nothing.
     */
    public void begin() {
        if (begun) {
            return;
        }
        if (!resumeIfPossible()) {
            runInitStages();
        }
        begun = true;
        wallFrom = System.nanoTime();
    }

    /** Whether every epoch of the schedule has run. */
    public boolean finished() {
        return progress.epoch() >= training.schedule().epochs();
    }

    /** The next step's position, {@code epoch × stepsPerEpoch + step}: members of a cohort step in this order. */
    public long position() {
        return (long) progress.epoch() * stepsPerEpoch + progress.step();
    }

    /** Optimizer steps per epoch. */
    public int stepsPerEpoch() {
        return stepsPerEpoch;
    }

    /** This trainer's own teacher pass (a cohort uses one member's for all). */
    public TeacherPass teacherPass() {
        return stepper.pass();
    }

    /**
     * One optimizer step on {@code batch}, which must be at this trainer's {@link #position}; checkpoints
     * when due, and ends the epoch (evaluation, checkpoint, metrics line) after its last step.
     *
     * @throws TrainingDivergedException when a loss is not finite; nothing of the step is recorded
     */
    public void step(TeacherPass.Batch batch) {
        int epoch = progress.epoch();
        if (batch.epoch() != epoch || batch.step() != progress.step()) {
            throw new IllegalStateException("batch of epoch " + batch.epoch() + " step " + batch.step()
                    + " given to a trainer at epoch " + epoch + " step " + progress.step());
        }
        double lr = training.schedule().learningRate(training.optimizer().lr(), epoch);
        if (!epochStarted) {
            listener.onEpochStart(epoch, training.schedule().epochs(), stepsPerEpoch, progress.step());
            epochStarted = true;
        }
        PausePoints.reach("step", folder.dir());
        trainStep(batch, lr);
        int step = progress.step();
        int every = recipe.checkpointEverySteps();
        if (every > 0 && step % every == 0 && step < stepsPerEpoch) {
            wallFrom = addWallTime(wallFrom);
            writeCheckpoint(null);
        }
        if (step == stepsPerEpoch) {
            EpochRecord record = finishEpoch(lr, wallFrom);
            wallFrom = System.nanoTime();
            epochStarted = false;
            writeCheckpoint(record);
            metrics.append(record);
            listener.onEpochEnd(record);
        }
    }

    /** Checkpoints where the trainer stands and returns an unfinished result ({@code ran}: steps run in this call). */
    public Result pause(long ran) {
        if (!epochStarted && !finished()) {
            // As when the loop reaches a pause at an epoch's start: the listener hears of the epoch first.
            listener.onEpochStart(progress.epoch(), training.schedule().epochs(), stepsPerEpoch, progress.step());
            epochStarted = true;
        }
        wallFrom = addWallTime(wallFrom);
        writeCheckpoint(null);
        return new Result(metrics.read(), false, ran, progress.teacherStageSeconds());
    }

    /** The result once {@link #finished}; {@code ran}: the steps run in this process. */
    public Result result(long ran) {
        return new Result(metrics.read(), finished(), ran, progress.teacherStageSeconds());
    }

    /** Adds the wall time since {@code from} to the epoch's (checkpointed) wall time; returns now. */
    private long addWallTime(long from) {
        long now = System.nanoTime();
        progress.addWallSeconds((now - from) / 1e9);
        return now;
    }

    /**
     * Trains on {@code batch} and adds the step to the epoch's progress; a loss that is not finite
     * adds nothing. The step's time is the whole step: making the batch and the teacher's pass
     * (shared in a cohort, and counted for each member as it would be alone), then the student's.
     */
    private void trainStep(TeacherPass.Batch batch, double lr) {
        long t0 = System.nanoTime();
        TrainingStep.Outcome outcome = stepper.run(batch, lr);
        double took = (System.nanoTime() - t0) / 1e9 + batch.seconds();
        Map<String, Double> scalars = outcome.losses();
        for (Double v : scalars.values()) {
            if (!Double.isFinite(v)) {
                throw new TrainingDivergedException("loss became " + v + " at epoch " + (progress.epoch() + 1)
                        + " step " + (progress.step() + 1) + " (" + scalars
                        + "); lower the learning rate or the method weights");
            }
        }
        progress.addStep(scalars, batch.indices().length, outcome.correct(), outcome.correct5(), took);
        stepMillis.add(took * 1e3);
        listener.onStep(progress.epoch(), progress.step(), scalars);
    }

    private EpochRecord finishEpoch(double lr, long wallFrom) {
        Accuracy testAccuracy;
        try (NDManager m = manager.newSubManager()) {
            testAccuracy = Accuracy.evaluate(student, test, recipe.evalBatchSize(), m);
        }
        if (progress.recordTest(testAccuracy.top1())) {
            writeBest(progress.epoch() + 1, testAccuracy.top1());
        }
        // The epoch's wall time includes the evaluation and the best checkpoint; the last checkpoint follows.
        addWallTime(wallFrom);
        long peak = ResidentMemory.peakMiB();
        EpochRecord record = progress.endEpoch(
                lr,
                testAccuracy,
                stepMillis.isEmpty() ? null : RunCost.median(stepMillis),
                peak < 0 ? null : peak,
                System.currentTimeMillis());
        stepMillis.clear();
        return record;
    }

    private Map<String, NDArray> studentTensors() {
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        Checkpoint.parameters(student).forEach((k, p) -> tensors.put(Checkpoint.STUDENT + k, p.getArray()));
        return tensors;
    }

    private void writeBest(int epochNumber, double testTop1) {
        try {
            Checkpoint.write(
                    folder.bestCheckpoint(),
                    studentTensors(),
                    Map.of("epoch", Integer.toString(epochNumber), "test_top1", Double.toString(testTop1)));
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot write best checkpoint: " + e.getMessage(), e);
        }
    }

    private void writeCheckpoint(EpochRecord justFinished) {
        Map<String, NDArray> tensors = studentTensors();
        modules.forEach((name, block) -> Checkpoint.parameters(block)
                .forEach((k, p) -> tensors.put(Checkpoint.MODULE + name + "/" + k, p.getArray())));
        sgd.state().forEach((k, v) -> tensors.put(Checkpoint.MOMENTUM + k, v));
        method.state().forEach((k, v) -> tensors.put(Checkpoint.STATE + k, v));
        Checkpoint.Position position = new Checkpoint.Position(recipe.seed(), progress, justFinished);
        Checkpoint.write(lastCheckpoint(), tensors, position.toMetadata());
    }

    /**
     * The methods' init stages, before the first distillation step; their result (student, modules, method state)
     * is saved by the checkpoint written right after them.
     */
    private void runInitStages() {
        List<InitStage> stages = method.initStages();
        if (stages.isEmpty()) {
            return;
        }
        long t0 = System.nanoTime();
        for (InitStage stage : stages) {
            InitStageRunner.run(stage, stepper, training, listener, folder.dir());
        }
        progress.setTeacherStageSeconds((System.nanoTime() - t0) / 1e9);
        writeCheckpoint(null);
    }

    /** Restores the last checkpoint if there is one; false for a fresh start. */
    private boolean resumeIfPossible() {
        // A process killed while writing a checkpoint leaves its temporary file; the last complete one stands.
        SafeTensors.removeStaleTemporaries(folder.dir());
        if (!Checkpoint.exists(lastCheckpoint())) {
            return false;
        }
        try (NDManager m = manager.newSubManager()) {
            SafeTensors.Contents saved;
            try {
                saved = Checkpoint.read(lastCheckpoint(), m);
            } catch (SafeTensorsException damaged) {
                // Checkpoints are written atomically, so only the disk can have damaged this one.
                throw new SafeTensorsException(damaged.getMessage() + "; the checkpoint to resume from"
                        + " is damaged (truncated or corrupted on disk): restore it from a copy, or delete the folder "
                        + folder.dir() + " to train this run again from its start");
            }
            Checkpoint.Position position = Checkpoint.Position.fromMetadata(
                    saved.metadata(), lastCheckpoint().toString());
            if (position.seed() != recipe.seed()) {
                throw new SafeTensorsException(lastCheckpoint() + " was written with seed " + position.seed()
                        + ", this run has seed " + recipe.seed() + "; use another output folder");
            }
            EpochProgress restored = position.progress();
            int epochs = training.schedule().epochs();
            if (restored.epoch() > epochs) {
                throw new SafeTensorsException(lastCheckpoint() + ": its position (epoch " + restored.epoch()
                        + ", step " + restored.step() + ") is not one of this run's " + epochs
                        + " epochs; delete the folder " + folder.dir() + " to train this run again from its start");
            }
            Checkpoint.loadInto(
                    student, Checkpoint.under(saved.tensors(), Checkpoint.STUDENT), lastCheckpoint() + " (student)");
            Map<String, NDArray> moduleTensors = Checkpoint.under(saved.tensors(), Checkpoint.MODULE);
            modules.forEach((name, block) -> Checkpoint.loadInto(
                    block, Checkpoint.under(moduleTensors, name + "/"), lastCheckpoint() + " (module " + name + ")"));
            sgd.loadState(Checkpoint.under(saved.tensors(), Checkpoint.MOMENTUM));
            method.loadState(Checkpoint.under(saved.tensors(), Checkpoint.STATE));
            progress = restored;
            // The checkpoint is written before the epoch's metrics line; restore a line lost in between.
            EpochRecord record = position.lastEpochRecord();
            if (record != null) {
                List<EpochRecord> logged = metrics.read();
                if (logged.isEmpty() || logged.get(logged.size() - 1).epoch() < record.epoch()) {
                    metrics.append(record);
                }
            }
            return true;
        }
    }
}
