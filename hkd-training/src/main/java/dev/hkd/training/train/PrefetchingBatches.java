package dev.hkd.training.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.hkd.training.data.Augmentation;
import dev.hkd.training.data.ImageSet;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Future;

/**
 * The batches of a streamed training set, prepared ahead: when step {@code s} of an epoch asks for
 * its batch, the next {@code 2 × workers} steps' batches (indices from {@link Seeds#epochOrder},
 * augmentation streams from {@link Seeds#random}, both from the seed and the position alone) are
 * already being decoded, one batch per decode thread, as PyTorch's DataLoader prefetches. A batch
 * is made from its position only, so prepared ahead or on demand, on whichever thread, it is the
 * same; a step whose indices are not the planned ones (a teacher stage's own order) is made on
 * demand. At most {@code 2 × workers} batches wait in memory.
 */
final class PrefetchingBatches implements TrainingBatches {

    private record Key(int epoch, int step) {}

    private record Pending(int[] indices, Future<ImageSet.Prepared> batch) {}

    private final ImageSet train;
    private final Augmentation augmentation;
    private final TrainingBatches onDemand;
    private final long seed;
    private final int batchSize;
    private final int ahead;
    private final Map<Key, Pending> pending = new HashMap<>();
    private int orderEpoch = -1;
    private int[] order;

    PrefetchingBatches(ImageSet train, Augmentation augmentation, long seed, int batchSize) {
        if (!train.streams()) {
            throw new IllegalArgumentException(train.name() + " is held in memory; nothing to prefetch");
        }
        this.train = train;
        this.augmentation = augmentation;
        this.onDemand = TrainingBatches.of(train, augmentation);
        this.seed = seed;
        this.batchSize = batchSize;
        this.ahead = 2 * train.pool().workers();
    }

    @Override
    public int size() {
        return onDemand.size();
    }

    @Override
    public NDArray images(NDManager manager, int[] indices, boolean rotatedViews, SplittableRandom random) {
        return onDemand.images(manager, indices, rotatedViews, random);
    }

    @Override
    public NDArray labels(NDManager manager, int[] indices) {
        return onDemand.labels(manager, indices);
    }

    @Override
    public ImageSet.Batch batch(
            NDManager manager, int[] indices, boolean rotatedViews, int epoch, int step, SplittableRandom random) {
        if (rotatedViews) {
            return onDemand.batch(manager, indices, true, epoch, step, random);
        }
        Pending ready = pending.remove(new Key(epoch, step));
        ImageSet.Prepared prepared;
        if (ready != null && Arrays.equals(ready.indices(), indices)) {
            prepared = ImageSet.await(ready.batch());
            planAhead(epoch, step);
        } else {
            if (ready != null) {
                ready.batch().cancel(false);
            }
            planAhead(epoch, step);
            prepared = train.prepare(indices, augmentation, random, true);
        }
        return train.toBatch(manager, prepared);
    }

    /** Starts the batches of steps {@code step + 1 … step + ahead} of this epoch that are not under way. */
    private void planAhead(int epoch, int step) {
        discardOtherEpochs(epoch);
        int[] epochOrder = order(epoch);
        int steps = (epochOrder.length + batchSize - 1) / batchSize;
        for (int s = step + 1; s <= step + ahead && s < steps; s++) {
            Key key = new Key(epoch, s);
            if (pending.containsKey(key)) {
                continue;
            }
            int[] idx = Arrays.copyOfRange(epochOrder, s * batchSize, Math.min(epochOrder.length, (s + 1) * batchSize));
            SplittableRandom random = Seeds.random(seed, Seeds.AUGMENT, epoch, s);
            pending.put(
                    key, new Pending(idx, train.pool().submit(() -> train.prepare(idx, augmentation, random, false))));
        }
    }

    private int[] order(int epoch) {
        if (orderEpoch != epoch) {
            order = Seeds.epochOrder(seed, epoch, train.size());
            orderEpoch = epoch;
        }
        return order;
    }

    private void discardOtherEpochs(int epoch) {
        for (Iterator<Map.Entry<Key, Pending>> it = pending.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Key, Pending> e = it.next();
            if (e.getKey().epoch() != epoch) {
                e.getValue().batch().cancel(false);
                it.remove();
            }
        }
    }

    @Override
    public void discardAhead() {
        pending.values().forEach(p -> p.batch().cancel(false));
        pending.clear();
    }
}
