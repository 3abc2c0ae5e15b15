package dev.hkd.training.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import dev.hkd.api.InitStage;
import dev.hkd.training.config.TrainingConfig;
import dev.hkd.training.data.Augmentation;
import dev.hkd.training.data.ImageSet;
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

    /** Everything a run needs; networks are initialised, the method prepared. */
    public record Setup(
            NDManager manager,
            FeatureNetwork student,
            FeatureNetwork teacher,
            MethodSet method,
            ImageSet train,
            ImageSet test,
            Augmentation augmentation,
            TrainingConfig training,
            int evalBatchSize,
            long seed,
            ContrastSource contrast,
            Path outputDir,
            int checkpointEverySteps,
            TrainingListener listener) {}

    /** The outcome of {@link #run}; {@code teacherStageSeconds}: the methods' init stages (SSKD's teacher head; AB, FT, FSP's init), 0 without. */
    public record Result(List<EpochRecord> epochs, boolean finished, long stepsRun, double teacherStageSeconds) {

        public EpochRecord last() {
            return epochs.get(epochs.size() - 1);
        }
    }

    private final Setup s;
    private final Map<String, Parameter> trained = new LinkedHashMap<>();
    private final Map<String, Block> modules;
    private final Sgd sgd;
    private final TrainingBatches batches;
    private final TrainingStep stepper;
    private final MetricsLog metrics;
    private final int stepsPerEpoch;

    // Position and partial-epoch sums: exactly what a checkpoint must carry.
    private int epoch;
    private int step;
    private double bestTop1;
    private Map<String, Double> lossSums = new LinkedHashMap<>();
    private long seen;
    private long trainCorrect;
    private long trainCorrect5;
    private double epochSeconds;
    private double epochWallSeconds;
    private double teacherStageSeconds;
    private boolean begun;
    private boolean epochStarted;
    private long wallFrom;
    /** This process's step times in the current epoch (ms); a resumed epoch's median uses the steps after the resume. */
    private final List<Double> stepMillis = new ArrayList<>();

    public Trainer(Setup setup) {
        this.s = setup;
        this.modules = setup.method().trainableModules();
        // A streamed set's batches are decoded ahead of the steps; one held in memory is made as it is asked for.
        this.batches = TrainingBatches.forRun(
                setup.train(),
                setup.augmentation(),
                setup.seed(),
                setup.training().batchSize());
        StepAssembly.Assembled assembled = StepAssembly.assemble(
                setup.manager(),
                setup.student(),
                setup.teacher(),
                setup.method(),
                batches,
                setup.seed(),
                setup.contrast(),
                setup.training().optimizer());
        trained.putAll(assembled.trained());
        this.sgd = assembled.sgd();
        this.stepper = assembled.step();
        this.metrics = new MetricsLog(new RunFolder(setup.outputDir()).metrics());
        int batch = setup.training().batchSize();
        this.stepsPerEpoch = (setup.train().size() + batch - 1) / batch;
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

    public Path lastCheckpoint() {
        return new RunFolder(s.outputDir()).lastCheckpoint();
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
                    NDManager m = s.manager().newSubManager()) {
                step(stepper.pass().batch(m, epoch, step, s.training().batchSize()));
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
        return epoch >= s.training().schedule().epochs();
    }

    /** The next step's position, {@code epoch × stepsPerEpoch + step}: members of a cohort step in this order. */
    public long position() {
        return (long) epoch * stepsPerEpoch + step;
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
        if (batch.epoch() != epoch || batch.step() != step) {
            throw new IllegalStateException("batch of epoch " + batch.epoch() + " step " + batch.step()
                    + " given to a trainer at epoch " + epoch + " step " + step);
        }
        int epochs = s.training().schedule().epochs();
        double lr =
                s.training().schedule().learningRate(s.training().optimizer().lr(), epoch);
        if (!epochStarted) {
            s.listener().onEpochStart(epoch, epochs, stepsPerEpoch, step);
            epochStarted = true;
        }
        PausePoints.reach("step", s.outputDir());
        long t0 = System.nanoTime();
        Map<String, Double> losses = trainStep(batch, lr);
        long took = System.nanoTime() - t0;
        epochSeconds += took / 1e9;
        stepMillis.add(took / 1e6);
        step++;
        s.listener().onStep(epoch, step, losses);
        if (s.checkpointEverySteps() > 0 && step % s.checkpointEverySteps() == 0 && step < stepsPerEpoch) {
            wallFrom = addWallTime(wallFrom);
            writeCheckpoint(null);
        }
        if (step == stepsPerEpoch) {
            EpochRecord record = finishEpoch(lr, wallFrom);
            wallFrom = System.nanoTime();
            epoch++;
            step = 0;
            epochStarted = false;
            writeCheckpoint(record);
            metrics.append(record);
            s.listener().onEpochEnd(record);
        }
    }

    /** Checkpoints where the trainer stands and returns an unfinished result ({@code ran}: steps run in this call). */
    public Result pause(long ran) {
        if (!epochStarted && !finished()) {
            // As when the loop reaches a pause at an epoch's start: the listener hears of the epoch first.
            s.listener().onEpochStart(epoch, s.training().schedule().epochs(), stepsPerEpoch, step);
            epochStarted = true;
        }
        wallFrom = addWallTime(wallFrom);
        writeCheckpoint(null);
        return new Result(metrics.read(), false, ran, teacherStageSeconds);
    }

    /** The result once {@link #finished}; {@code ran}: the steps run in this process. */
    public Result result(long ran) {
        return new Result(metrics.read(), finished(), ran, teacherStageSeconds);
    }

    /** Adds the wall time since {@code from} to the epoch's (checkpointed) wall time; returns now. */
    private long addWallTime(long from) {
        long now = System.nanoTime();
        epochWallSeconds += (now - from) / 1e9;
        return now;
    }

    private Map<String, Double> trainStep(TeacherPass.Batch batch, double lr) {
        int[] idx = batch.indices();
        TrainingStep.Outcome outcome = stepper.run(batch, lr);
        Map<String, Double> scalars = outcome.losses();
        for (Double v : scalars.values()) {
            if (!Double.isFinite(v)) {
                throw new TrainingDivergedException("loss became " + v + " at epoch " + (epoch + 1) + " step "
                        + (step + 1) + " (" + scalars + "); lower the learning rate or the method weights");
            }
        }
        scalars.forEach((k, v) -> lossSums.merge(k, v * idx.length, Double::sum));
        seen += idx.length;
        trainCorrect += outcome.correct();
        trainCorrect5 += outcome.correct5();
        return scalars;
    }

    private EpochRecord finishEpoch(double lr, long wallFrom) {
        Accuracy test;
        try (NDManager m = s.manager().newSubManager()) {
            test = Accuracy.evaluate(s.student(), s.test(), s.evalBatchSize(), m);
        }
        bestTop1 = Math.max(bestTop1, test.top1());
        if (test.top1() >= bestTop1) {
            writeBest(epoch + 1, test.top1());
        }
        // The epoch's wall time includes the evaluation and the best checkpoint; the last checkpoint follows.
        addWallTime(wallFrom);
        Map<String, Double> means = new LinkedHashMap<>();
        lossSums.forEach((k, v) -> means.put(k, v / Math.max(1, seen)));
        long peak = ResidentMemory.peakMiB();
        EpochRecord record = new EpochRecord(
                epoch + 1,
                lr,
                means,
                100.0 * trainCorrect / Math.max(1, seen),
                100.0 * trainCorrect5 / Math.max(1, seen),
                test.top1(),
                test.top5(),
                bestTop1,
                seen / Math.max(1e-9, epochSeconds),
                epochSeconds,
                System.currentTimeMillis(),
                stepMillis.isEmpty() ? null : RunCost.median(stepMillis),
                peak < 0 ? null : peak,
                epochWallSeconds);
        stepMillis.clear();
        epochWallSeconds = 0;
        lossSums = new LinkedHashMap<>();
        seen = 0;
        trainCorrect = 0;
        trainCorrect5 = 0;
        epochSeconds = 0;
        return record;
    }

    private Map<String, NDArray> studentTensors() {
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        Checkpoint.parameters(s.student()).forEach((k, p) -> tensors.put(Checkpoint.STUDENT + k, p.getArray()));
        return tensors;
    }

    private void writeBest(int epochNumber, double testTop1) {
        try {
            Checkpoint.write(
                    new RunFolder(s.outputDir()).bestCheckpoint(),
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
        s.method().state().forEach((k, v) -> tensors.put(Checkpoint.STATE + k, v));
        Checkpoint.Position position = new Checkpoint.Position(
                epoch,
                step,
                s.seed(),
                bestTop1,
                seen,
                trainCorrect,
                trainCorrect5,
                epochSeconds,
                epochWallSeconds,
                teacherStageSeconds,
                lossSums,
                justFinished);
        Checkpoint.write(lastCheckpoint(), tensors, position.toMetadata());
    }

    /**
     * The methods' init stages, before the first distillation step; their result (student, modules, method state)
     * is saved by the checkpoint written right after them.
     */
    private void runInitStages() {
        List<InitStage> stages = s.method().initStages();
        if (stages.isEmpty()) {
            return;
        }
        long t0 = System.nanoTime();
        for (InitStage stage : stages) {
            InitStageRunner.run(
                    stage,
                    stepper,
                    s.student(),
                    batches,
                    s.training().batchSize(),
                    s.seed(),
                    s.training().optimizer(),
                    s.manager(),
                    s.listener(),
                    s.outputDir());
        }
        teacherStageSeconds = (System.nanoTime() - t0) / 1e9;
        writeCheckpoint(null);
    }

    /** Restores the last checkpoint if there is one; false for a fresh start. */
    private boolean resumeIfPossible() {
        // A process killed while writing a checkpoint leaves its temporary file; the last complete one stands.
        SafeTensors.removeStaleTemporaries(s.outputDir());
        if (!Checkpoint.exists(lastCheckpoint())) {
            return false;
        }
        try (NDManager m = s.manager().newSubManager()) {
            SafeTensors.Contents saved;
            try {
                saved = Checkpoint.read(lastCheckpoint(), m);
            } catch (SafeTensorsException damaged) {
                // Checkpoints are written atomically, so only the disk can have damaged this one.
                throw new SafeTensorsException(damaged.getMessage() + "; the checkpoint to resume from"
                        + " is damaged (truncated or corrupted on disk): restore it from a copy, or delete the folder "
                        + s.outputDir() + " to train this run again from its start");
            }
            Checkpoint.Position position = Checkpoint.Position.fromMetadata(
                    saved.metadata(), lastCheckpoint().toString());
            if (position.seed() != s.seed()) {
                throw new SafeTensorsException(lastCheckpoint() + " was written with seed " + position.seed()
                        + ", this run has seed " + s.seed() + "; use another output folder");
            }
            if (position.epoch() < 0
                    || position.step() < 0
                    || position.seen() < 0
                    || position.epoch() > s.training().schedule().epochs()) {
                throw new SafeTensorsException(lastCheckpoint() + ": its position (epoch " + position.epoch()
                        + ", step "
                        + position.step() + ") is not one of this run's "
                        + s.training().schedule().epochs()
                        + " epochs; delete the folder " + s.outputDir() + " to train this run again from its start");
            }
            Checkpoint.loadInto(
                    s.student(),
                    Checkpoint.under(saved.tensors(), Checkpoint.STUDENT),
                    lastCheckpoint() + " (student)");
            Map<String, NDArray> moduleTensors = Checkpoint.under(saved.tensors(), Checkpoint.MODULE);
            modules.forEach((name, block) -> Checkpoint.loadInto(
                    block, Checkpoint.under(moduleTensors, name + "/"), lastCheckpoint() + " (module " + name + ")"));
            sgd.loadState(Checkpoint.under(saved.tensors(), Checkpoint.MOMENTUM));
            s.method().loadState(Checkpoint.under(saved.tensors(), Checkpoint.STATE));
            epoch = position.epoch();
            step = position.step();
            bestTop1 = position.bestTop1();
            seen = position.seen();
            trainCorrect = position.trainCorrect();
            trainCorrect5 = position.trainCorrect5();
            epochSeconds = position.epochSeconds();
            epochWallSeconds = position.epochWallSeconds();
            teacherStageSeconds = position.teacherStageSeconds();
            lossSums = new LinkedHashMap<>(position.lossSums());
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
