package dev.hkd.training.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import dev.hkd.api.ModelNeeds;
import dev.hkd.api.NetworkOutput;
import dev.hkd.training.data.ImageSet;
import dev.hkd.training.models.FeatureNetwork;
import dev.hkd.training.models.ImageLayout;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The part of a training step that does not depend on the student: the batch's samples (the
 * epoch's shuffled order), its augmented images and the frozen teacher's outputs on them. A cell
 * trained alone makes one per step; a cohort ({@link CohortTrainer}) makes one per position and
 * hands it to every member, so the teacher runs once for all of them.
 *
 * <pre>{@code
 * TeacherPass pass = trainer.teacherPass();
 * try (NDScope scope = new NDScope(); NDManager m = root.newSubManager()) {
 *     TeacherPass.Batch batch = pass.batch(m, epoch, step, batchSize);   // the teacher's forward runs here
 *     member.step(batch);                                     // each member's student step
 * }
 * }</pre>
 *
 * Two cells can share a pass only when everything it reads is the same: the teacher, the seed, the
 * data and its augmentation, the batch size, and the teacher's mode and input
 * ({@link #teacherMode}) — the grid runner's grouping checks these.
 */
public final class TeacherPass {

    /**
     * One position's shared inputs; its arrays live in the manager given to {@link #batch} and are
     * freed with it, so a cohort keeps the teacher's features for one batch only.
     *
     * @param teacher null when the run has no teacher
     * @param seconds how long making it took (the images and the teacher's forward pass): part of
     *     the step time of every trainer that steps on it, as it is of a run alone
     */
    public record Batch(int epoch, int step, int[] indices, NDArray images, NetworkOutput teacher, double seconds) {}

    /** What makes two teacher passes over the same batches differ: BatchNorm mode, pre-activations, rotated views. */
    public record TeacherMode(ModelNeeds.TeacherBatchNorm batchNorm, boolean preActivation, boolean rotatedViews) {}

    private final FeatureNetwork teacher;
    private final TrainingBatches batches;
    private final long seed;
    private final TeacherMode mode;
    private final DataType dataType;
    private final ImageLayout layout;
    private final ParameterStore parameters;
    private int orderEpoch = -1;
    private int[] order;

    TeacherPass(
            NDManager manager,
            FeatureNetwork teacher,
            TrainingBatches batches,
            long seed,
            TeacherMode mode,
            DataType dataType,
            ImageLayout layout) {
        this.teacher = teacher;
        this.batches = batches;
        this.seed = seed;
        this.mode = mode;
        this.dataType = dataType;
        // Batch statistics are computed from the contiguous images the reference feeds (ImageLayout says why).
        this.layout = mode.batchNorm() == ModelNeeds.TeacherBatchNorm.TRAIN ? ImageLayout.CONTIGUOUS : layout;
        this.parameters = new ParameterStore(manager, false);
    }

    /** The teacher mode a method's needs ask for. */
    public static TeacherMode teacherMode(ModelNeeds model, boolean rotatedViews) {
        return new TeacherMode(model.teacherBatchNorm(), model.teacherPreActivation(), rotatedViews);
    }

    public TeacherMode mode() {
        return mode;
    }

    public long seed() {
        return seed;
    }

    /** The batch at ({@code epoch}, {@code step}) of {@code batchSize} samples: its samples, images and the teacher's outputs, in {@code m}. */
    public Batch batch(NDManager m, int epoch, int step, int batchSize) {
        if (epoch != orderEpoch) {
            order = Seeds.epochOrder(seed, epoch, batches.size());
            orderEpoch = epoch;
        }
        int from = step * batchSize;
        return batch(m, Arrays.copyOfRange(order, from, Math.min(order.length, from + batchSize)), epoch, step);
    }

    /**
     * The batch of the samples {@code indices} at ({@code epoch}, {@code step}). A streamed set that
     * skips unreadable files may show others in their place: labels, sample indices and contrast
     * draws follow {@link Batch#indices()}.
     */
    Batch batch(NDManager m, int[] indices, int epoch, int step) {
        long t0 = System.nanoTime();
        ImageSet.Batch made = batches.batch(
                m, indices, mode.rotatedViews(), epoch, step, Seeds.random(seed, Seeds.AUGMENT, epoch, step));
        NDArray images = inType(made.images());
        NetworkOutput out = teacher == null ? null : forward(images);
        return new Batch(epoch, step, made.indices(), images, out, (System.nanoTime() - t0) / 1e9);
    }

    /** Drops the batches a streamed set prepared ahead that no step will ask for now (the run stopped). */
    public void discardAhead() {
        batches.discardAhead();
    }

    /** The samples' images in the step's data type: {@code [B, …]}, or {@code [4B, …]} with rotated views. */
    NDArray images(NDManager m, int[] indices, SplittableRandom random) {
        return inType(batches.images(m, indices, mode.rotatedViews(), random));
    }

    private NDArray inType(NDArray images) {
        return images.getDataType() == dataType ? images : images.toType(dataType, false);
    }

    /**
     * The frozen teacher's pass in a scope of its own: DJL frees an intermediate only when its
     * scope closes, so without this every activation of the teacher would stay resident until the
     * step ends. Only the outputs the methods read outlive it. Its images are channels-last unless
     * the method runs the teacher's BatchNorm on batch statistics ({@link ImageLayout} says why).
     */
    NetworkOutput forward(NDArray images) {
        try (NDScope scope = new NDScope()) {
            NetworkOutput out = teacher.forward(
                    parameters,
                    layout.apply(images),
                    mode.batchNorm() == ModelNeeds.TeacherBatchNorm.TRAIN,
                    mode.preActivation());
            NDScope.unregister(out.logits());
            out.features().forEach(NDScope::unregister);
            out.preActivationFeatures().forEach(NDScope::unregister);
            scope.suppressNotUsedWarning();
            return out;
        }
    }
}
