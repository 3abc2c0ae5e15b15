package dev.hkd.training.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.hkd.training.data.Augmentation;
import dev.hkd.training.data.ImageSet;
import dev.hkd.training.data.RotatedViews;
import java.util.SplittableRandom;

/**
 * Where a training step's images and labels come from. Training draws them from the training set
 * with its augmentation; the trajectory parity check feeds the reference's own batches through the
 * same {@link TrainingStep}.
 */
public interface TrainingBatches {

    /** Number of samples the indices range over. */
    int size();

    /** The batch's images, {@code [B, C, H, W]} (or {@code [4B, …]} when the step asks for rotated views). */
    NDArray images(NDManager manager, int[] indices, boolean rotatedViews, SplittableRandom random);

    /** The batch's labels {@code [B]}, int64. */
    NDArray labels(NDManager manager, int[] indices);

    /**
     * The images of step {@code (epoch, step)} and the samples they show, which a streamed set
     * that skips unreadable files may have replaced; labels, sample indices and contrast draws
     * follow {@link ImageSet.Batch#indices()}. {@code random} is the step's augmentation stream.
     */
    default ImageSet.Batch batch(
            NDManager manager, int[] indices, boolean rotatedViews, int epoch, int step, SplittableRandom random) {
        return new ImageSet.Batch(images(manager, indices, rotatedViews, random), indices);
    }

    /** Drops batches prepared ahead that no step will ask for now (the run stopped). */
    default void discardAhead() {}

    /**
     * The batches a run trains on: a streamed set's decoded {@code 2 × data.workers} steps ahead
     * from the seed and batch size ({@link PrefetchingBatches}), a set in memory's made on demand.
     */
    static TrainingBatches forRun(ImageSet train, Augmentation augmentation, long seed, int batchSize) {
        return train.streams() ? new PrefetchingBatches(train, augmentation, seed, batchSize) : of(train, augmentation);
    }

    /** The training set, each image augmented (and, when asked, in SSKD's four rotated views). */
    static TrainingBatches of(ImageSet train, Augmentation augmentation) {
        return new TrainingBatches() {
            @Override
            public int size() {
                return train.size();
            }

            @Override
            public NDArray images(NDManager manager, int[] indices, boolean rotatedViews, SplittableRandom random) {
                return rotatedViews
                        ? train.rotatedViews(manager, indices, RotatedViews.of(augmentation), random)
                        : train.images(manager, indices, augmentation, random);
            }

            @Override
            public NDArray labels(NDManager manager, int[] indices) {
                return train.labels(manager, indices);
            }

            @Override
            public ImageSet.Batch batch(
                    NDManager manager,
                    int[] indices,
                    boolean rotatedViews,
                    int epoch,
                    int step,
                    SplittableRandom random) {
                return rotatedViews
                        ? new ImageSet.Batch(images(manager, indices, true, random), indices)
                        : train.batch(manager, indices, augmentation, random);
            }
        };
    }
}
