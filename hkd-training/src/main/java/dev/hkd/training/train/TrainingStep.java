package dev.hkd.training.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.hkd.api.DataNeeds;
import dev.hkd.api.DistillationStep;
import dev.hkd.api.ModelNeeds;
import dev.hkd.api.NetworkOutput;
import dev.hkd.api.StepBatch;
import dev.hkd.training.methods.MethodSet;
import dev.hkd.training.models.FeatureNetwork;
import dev.hkd.training.models.ImageLayout;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One optimisation step, the unit both training and {@code hkd bench} run: the batch is made and the
 * frozen teacher runs outside gradient recording ({@link TeacherPass}), the student and the
 * method's loss inside it, then backward, SGD and the method's state update. Every array of the step lives in a scope
 * closed at its end; only the loss scalars and the count of correct predictions leave the engine.
 */
public final class TrainingStep {

    /** The step's loss terms ({@code loss} is the weighted total) and correct top-1 and top-5 predictions. */
    public record Outcome(Map<String, Double> losses, long correct, long correct5) {}

    /**
     * What a step trains and on what: the networks, the method, where the batches come from, the
     * run's seed (it selects every random stream) and the negatives of a memory-bank method (null
     * for one without).
     */
    public record Parts(
            Networks networks, MethodSet method, TrainingBatches batches, long seed, ContrastSource contrast) {}

    private final NDManager manager;
    private final FeatureNetwork student;
    private final MethodSet method;
    private final TrainingBatches batches;
    private final long seed;
    private final ContrastSource contrast;
    private final Sgd sgd;
    private final ParameterStore parameters;
    private final DataNeeds dataNeeds;
    private final ModelNeeds modelNeeds;
    /** The batch's images and the frozen teacher's outputs on them. */
    private final TeacherPass pass;

    /** The step over {@code parts}, updating with {@code sgd}; the frozen teacher's images are in {@code teacherLayout}. */
    public TrainingStep(NDManager manager, Parts parts, Sgd sgd, ImageLayout teacherLayout) {
        this.manager = manager;
        this.student = parts.networks().student();
        this.method = parts.method();
        this.batches = parts.batches();
        this.seed = parts.seed();
        this.contrast = parts.contrast();
        this.sgd = sgd;
        this.parameters = new ParameterStore(manager, false);
        this.dataNeeds = method.dataNeeds();
        this.modelNeeds = method.modelNeeds();
        // The student's floating-point type: float32 in training, float64 in the trajectory parity check.
        DataType dataType = student.getParameters().valueAt(0).getArray().getDataType();
        // A method without a teacher (vanilla, Tf-KD) does not pay for its forward pass, even where one is given
        // (hkd bench).
        this.pass = new TeacherPass(
                manager,
                modelNeeds.teacher() ? parts.networks().teacher() : null,
                batches,
                seed,
                TeacherPass.teacherMode(modelNeeds, dataNeeds.rotatedViews()),
                dataType,
                teacherLayout);
    }

    /** Trains on the samples {@code indices}; (epoch, step) select the random streams. */
    public Outcome run(int[] indices, int epoch, int step, double learningRate) {
        try (NDScope scope = new NDScope();
                NDManager m = manager.newSubManager()) {
            TeacherPass.Batch batch = pass.batch(m, indices, epoch, step);
            Outcome outcome =
                    studentStep(m, batch.indices(), batch.images(), batch.teacher(), epoch, step, learningRate);
            scope.suppressNotUsedWarning();
            return outcome;
        }
    }

    /**
     * Trains on a batch whose images and teacher outputs were made by a {@link TeacherPass} (this
     * step's own, or a cohort's shared one); the batch's arrays stay with its owner.
     */
    public Outcome run(TeacherPass.Batch batch, double learningRate) {
        try (NDScope scope = new NDScope();
                NDManager m = manager.newSubManager()) {
            Outcome outcome = studentStep(
                    m, batch.indices(), batch.images(), batch.teacher(), batch.epoch(), batch.step(), learningRate);
            scope.suppressNotUsedWarning();
            return outcome;
        }
    }

    /** This step's own teacher pass over {@code batches}: what a cell trained alone feeds {@link #run(TeacherPass.Batch, double)}. */
    public TeacherPass pass() {
        return pass;
    }

    /** The student's forward, the method's loss, backward, SGD and the method's state update, in {@code m}. */
    private Outcome studentStep(
            NDManager m,
            int[] indices,
            NDArray images,
            NetworkOutput teacherOut,
            int epoch,
            int step,
            double learningRate) {
        Map<String, Double> scalars = new LinkedHashMap<>();
        NDArray labels = batches.labels(m, indices);
        NDArray sampleIdx = dataNeeds.sampleIndex() || contrast != null ? m.create(toLong(indices)) : null;
        NDArray contrastIdx =
                contrast == null ? null : contrast.sample(m, indices, Seeds.random(seed, Seeds.CONTRAST, epoch, step));
        NDArray hits;
        try (GradientCollector collector = m.getEngine().newGradientCollector()) {
            NetworkOutput studentOut = student.forward(parameters, images, true, modelNeeds.studentPreActivation());
            NDArray plainLogits = unrotatedRows(studentOut.logits());
            NDArray ce = crossEntropy(plainLogits, labels);
            StepBatch meta = new StepBatch(labels, sampleIdx, contrastIdx, epoch);
            MethodSet.StepLoss loss =
                    method.loss(ce, new DistillationStep(studentOut, teacherOut, meta, parameters, true));
            collector.backward(loss.total());
            scalars.put("loss", scalar(loss.total()));
            loss.terms().forEach((k, v) -> scalars.put(k, scalar(v)));
            hits = Accuracy.hits(plainLogits, labels);
        }
        sgd.step(learningRate);
        method.updateState();
        long[] counts = hits.toLongArray();
        return new Outcome(scalars, counts[0], counts[1]);
    }

    FeatureNetwork student() {
        return student;
    }

    TrainingBatches batches() {
        return batches;
    }

    NDManager manager() {
        return manager;
    }

    long seed() {
        return seed;
    }

    /** The batch's images: {@code [B, …]}, or {@code [4B, …]} in SSKD's row layout when the method asks for rotated views. */
    NDArray batchImages(NDManager m, int[] indices, java.util.SplittableRandom random) {
        return pass.images(m, indices, random);
    }

    /** The rows of unrotated images ({@code 4b}) when the batch holds rotated views; else all rows. */
    NDArray unrotatedRows(NDArray rows) {
        if (!dataNeeds.rotatedViews()) {
            return rows;
        }
        return rows.reshape(new ai.djl.ndarray.types.Shape(rows.getShape().get(0) / 4, 4)
                        .addAll(rows.getShape().slice(1)))
                .get(":, 0");
    }

    /** The student's training-mode pass (batch statistics), with the pre-activations the method asks for. */
    NetworkOutput studentForward(NDArray images) {
        return student.forward(parameters, images, true, modelNeeds.studentPreActivation());
    }

    /** The frozen teacher's pass on {@code images} (see {@link TeacherPass}). */
    NetworkOutput teacherForward(NDArray images) {
        return pass.forward(images);
    }

    /** A scalar read to the host as it is held, without an engine op to convert it first. */
    private static double scalar(NDArray v) {
        return v.getDataType() == DataType.FLOAT64 ? v.getDouble() : v.getFloat();
    }

    private static long[] toLong(int[] idx) {
        long[] out = new long[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = idx[i];
        }
        return out;
    }

    /** Mean softmax cross-entropy over the batch. */
    public static NDArray crossEntropy(NDArray logits, NDArray labels) {
        return logits.logSoftmax(1).gather(labels.reshape(-1, 1), 1).neg().mean();
    }
}
