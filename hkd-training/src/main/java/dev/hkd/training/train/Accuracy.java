package dev.hkd.training.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.ParameterStore;
import dev.hkd.training.data.Augmentation;
import dev.hkd.training.data.ImageSet;
import dev.hkd.training.models.FeatureNetwork;

/**
 * Exact top-1 and top-5 accuracy (%) of a network in eval mode over a whole image set. Not DJL's
 * {@code ai.djl.training.evaluator.Accuracy}, an evaluator of DJL's own training loop, which this
 * project does not use (it counts the correct predictions itself, as the reference code does).
 */
public record Accuracy(double top1, double top5) {

    public static Accuracy evaluate(FeatureNetwork network, ImageSet data, int batchSize, NDManager manager) {
        ParameterStore parameters = new ParameterStore(manager, false);
        long correct1 = 0;
        long correct5 = 0;
        int k = Math.min(5, data.numClasses());
        for (int start = 0; start < data.size(); start += batchSize) {
            int end = Math.min(data.size(), start + batchSize);
            int[] idx = new int[end - start];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = start + i;
            }
            try (NDScope scope = new NDScope();
                    NDManager step = manager.newSubManager()) {
                ImageSet.Batch batch = data.batch(step, idx, Augmentation.NONE, null);
                NDArray images = batch.images();
                NDArray labels = data.labels(step, batch.indices()).reshape(-1, 1);
                NDArray logits =
                        network.forward(parameters, images, false, false).logits();
                NDList top = logits.topK(k, 1, true, true);
                NDArray hits = top.get(1).eq(labels).toType(ai.djl.ndarray.types.DataType.INT64, false);
                correct1 += hits.get(":, 0").sum().getLong();
                correct5 += hits.sum(new int[] {1}).sum().getLong();
                scope.suppressNotUsedWarning();
            }
        }
        return new Accuracy(100.0 * correct1 / data.size(), 100.0 * correct5 / data.size());
    }

    /** Correct top-1 and top-5 predictions of a batch, as a two-element array on the engine. */
    public static NDArray hits(NDArray logits, NDArray labels) {
        int k = (int) Math.min(5, logits.getShape().get(1));
        NDArray hits = logits.topK(k, 1, true, true)
                .get(1)
                .eq(labels.reshape(-1, 1))
                .toType(ai.djl.ndarray.types.DataType.INT64, false);
        return hits.get(":, 0").sum().stack(hits.sum());
    }
}
