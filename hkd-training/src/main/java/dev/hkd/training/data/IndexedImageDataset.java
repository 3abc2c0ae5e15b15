package dev.hkd.training.data;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Record;
import ai.djl.util.Progress;
import java.util.SplittableRandom;

/**
 * An {@link ImageSet} as a DJL dataset whose records carry the sample's index beside its label
 * ({@code labels = [label, index]}), for use with DJL's own loaders. The trainer uses the batched
 * {@link ImageSet#images} path directly.
 */
public final class IndexedImageDataset extends RandomAccessDataset {

    private final ImageSet images;
    private final Augmentation augmentation;
    private final long seed;

    private IndexedImageDataset(Builder builder) {
        super(builder);
        this.images = builder.images;
        this.augmentation = builder.augmentation;
        this.seed = builder.seed;
    }

    public static Builder builder(ImageSet images) {
        return new Builder(images);
    }

    @Override
    public Record get(NDManager manager, long index) {
        int i = Math.toIntExact(index);
        SplittableRandom random = new SplittableRandom(seed ^ (index * 0x9E3779B97F4A7C15L));
        NDList data = new NDList(
                images.images(manager, new int[] {i}, augmentation, random).squeeze(0));
        NDList labels = new NDList(manager.create((long) images.label(i)), manager.create(index));
        return new Record(data, labels);
    }

    @Override
    protected long availableSize() {
        return images.size();
    }

    @Override
    public void prepare(Progress progress) {
        // Held in memory already.
    }

    /** Builder in DJL's style; sampling (batch size, shuffling) comes from {@code setSampling}. */
    public static final class Builder extends BaseBuilder<Builder> {

        private final ImageSet images;
        private Augmentation augmentation = Augmentation.NONE;
        private long seed;

        private Builder(ImageSet images) {
            this.images = images;
        }

        public Builder optAugmentation(Augmentation augmentation, long seed) {
            this.augmentation = augmentation;
            this.seed = seed;
            return this;
        }

        @Override
        protected Builder self() {
            return this;
        }

        public IndexedImageDataset build() {
            return new IndexedImageDataset(this);
        }
    }
}
