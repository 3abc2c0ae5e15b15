package dev.hkd.experiments.bench;

import ai.djl.ndarray.NDManager;
import dev.hkd.training.config.DataConfig;
import dev.hkd.training.data.ImageSet;
import dev.hkd.training.data.RunData;
import dev.hkd.training.train.Engines;
import dev.hkd.training.train.Seeds;
import dev.hkd.training.train.TrainingBatches;
import java.nio.file.Path;
import java.util.Map;

/**
 * Images per second the ImageNet training pipeline delivers to the step: the run's own batches
 * ({@link TrainingBatches#forRun}, decoded ahead by {@code workers} threads) with read, decode,
 * random resized crop, flip, normalisation and the copy into an NDArray, over the steps of the
 * first epoch; the step itself is not run. {@code reproducibility/bench/pytorch_imagenet_data.py}
 * measures PyTorch's DataLoader the same way.
 */
public final class ImageNetDataBench {

    /** The measurement; {@code reducedDecode} null for the config's default. */
    public record Result(int images, double seconds, int workers, int imageSize, boolean reducedDecode) {
        public double imagesPerSecond() {
            return images / seconds;
        }
    }

    private ImageNetDataBench() {}

    public static Result run(
            Path dir, int workers, int batch, int imageSize, int warmupSteps, int steps, Boolean reducedDecode) {
        DataConfig config =
                new DataConfig("imagenet", dir.toString(), null, null, null, imageSize, workers, null, reducedDecode);
        RunData data = RunData.load(config, null, Map.of());
        ImageSet train = data.train();
        int stepsPerEpoch = train.size() / batch;
        if (stepsPerEpoch < warmupSteps + 1) {
            throw new IllegalArgumentException("--data-dir: " + train.size() + " training images give " + stepsPerEpoch
                    + " batches of " + batch + "; need at least " + (warmupSteps + 1));
        }
        int measured = Math.min(steps, stepsPerEpoch - warmupSteps);
        long seed = 1;
        TrainingBatches batches = TrainingBatches.forRun(train, data.augmentation(), seed, batch);
        int[] order = Seeds.epochOrder(seed, 0, train.size());
        long start = 0;
        int images = 0;
        try (NDManager m = Engines.training().newBaseManager()) {
            for (int s = 0; s < warmupSteps + measured; s++) {
                if (s == warmupSteps) {
                    start = System.nanoTime();
                }
                int[] idx = java.util.Arrays.copyOfRange(order, s * batch, (s + 1) * batch);
                try (NDManager step = m.newSubManager()) {
                    batches.batch(step, idx, false, 0, s, Seeds.random(seed, Seeds.AUGMENT, 0, s))
                            .images();
                }
                if (s >= warmupSteps) {
                    images += batch;
                }
            }
        } finally {
            batches.discardAhead();
        }
        return new Result(images, (System.nanoTime() - start) / 1e9, workers, imageSize, config.decodesReduced());
    }
}
