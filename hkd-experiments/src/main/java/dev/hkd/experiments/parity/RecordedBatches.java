package dev.hkd.experiments.parity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.hkd.training.train.TrainingBatches;
import java.util.SplittableRandom;

/** The reference's images and labels, fed as they are: already normalised, no augmentation. */
final class RecordedBatches implements TrainingBatches {

    private final NDArray images;
    private final NDArray labels;

    RecordedBatches(NDArray images, NDArray labels) {
        if (images.getShape().get(0) != labels.getShape().get(0)) {
            throw new IllegalArgumentException(images.getShape().get(0) + " images but "
                    + labels.getShape().get(0) + " labels");
        }
        this.images = images;
        this.labels = labels;
    }

    @Override
    public int size() {
        return (int) labels.getShape().get(0);
    }

    @Override
    public NDArray images(NDManager manager, int[] indices, boolean rotatedViews, SplittableRandom random) {
        if (rotatedViews) {
            throw new IllegalArgumentException("trajectory cases hold no rotated views");
        }
        return rows(images, manager, indices);
    }

    @Override
    public NDArray labels(NDManager manager, int[] indices) {
        return rows(labels, manager, indices);
    }

    private static NDArray rows(NDArray all, NDManager manager, int[] indices) {
        NDArray out = all.get(manager.create(indices).toType(ai.djl.ndarray.types.DataType.INT64, false));
        out.attach(manager);
        return out;
    }
}
