package dev.hkd.training.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * A labelled image set, normalised per channel when a batch is made: held in memory as uint8
 * {@code N × C × H × W}, or streamed ({@link #streamed}): read and decoded from its files by a
 * {@link DecodePool} when a batch needs them. Sample {@code i} keeps index {@code i} for the
 * memory-bank methods.
 *
 * <p>Randomness: an in-memory set's augmentation draws from the batch's generator sample after
 * sample; a streamed set first splits one generator per sample from it, in batch order, so the
 * samples can be decoded on any thread in any order and still get the same pixels.
 */
public final class ImageSet {

    private final String name;
    private final int count;
    private final int channels;
    private final int height;
    private final int width;
    private final byte[] pixels;
    private final int[] labels;
    private final int numClasses;
    private final float[] mean;
    private final float[] std;
    /** The files of a streamed set, or null when {@link #pixels} holds the images. */
    private final StreamedSamples stream;
    /** Batches are prepared in these: one per prefetched batch and two more, so a step allocates none. */
    private final BatchBuffers buffers;
    /** {@link #fingerprint()}, once computed (the set never changes; a race only computes it twice). */
    private volatile String fingerprint;

    /** A batch's normalised images and the samples they show ({@link StreamedSamples} may replace an unreadable file). */
    public record Batch(NDArray images, int[] indices) {}

    /**
     * A batch prepared off the engine: {@code [B, C, H, W]} float32 in a native buffer of the set's
     * {@link BatchBuffers} (handed back by {@link #toBatch}), and the samples they show.
     */
    public record Prepared(ByteBuffer buffer, int[] indices) {

        /** A copy of the pixels, for inspection. */
        public float[] pixels() {
            float[] out = new float[buffer.limit() / Float.BYTES];
            buffer.asFloatBuffer().get(0, out);
            return out;
        }
    }

    public ImageSet(
            String name,
            int channels,
            int height,
            int width,
            byte[] pixels,
            int[] labels,
            int numClasses,
            float[] mean,
            float[] std) {
        int perImage = channels * height * width;
        if (pixels.length != labels.length * perImage) {
            throw new DataException(
                    name + ": " + labels.length + " labels but " + pixels.length / perImage + " images");
        }
        for (int label : labels) {
            if (label < 0 || label >= numClasses) {
                throw new DataException(name + ": label " + label + " outside [0, " + numClasses + ")");
            }
        }
        this.name = name;
        this.count = labels.length;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.pixels = pixels;
        this.labels = labels;
        this.numClasses = numClasses;
        this.mean = mean.clone();
        this.std = std.clone();
        this.stream = null;
        this.buffers = new BatchBuffers(2);
    }

    private ImageSet(String name, StreamedSamples stream, int[] labels, int numClasses, float[] mean, float[] std) {
        this.name = name;
        this.count = labels.length;
        this.channels = 3;
        this.height = stream.side();
        this.width = stream.side();
        this.pixels = null;
        this.labels = labels;
        this.numClasses = numClasses;
        this.mean = mean.clone();
        this.std = std.clone();
        this.stream = stream;
        this.buffers = new BatchBuffers(2 * stream.pool().workers() + 2);
    }

    /** A set read from its files while it is used; only the file list is held. */
    public static ImageSet streamed(StreamedSamples stream, float[] mean, float[] std) {
        return new ImageSet(
                stream.files().name(),
                stream,
                stream.files().labels(),
                stream.files().classes().size(),
                mean,
                std);
    }

    /** The decode pool of a streamed set, or null for a set held in memory. */
    public DecodePool pool() {
        return stream == null ? null : stream.pool();
    }

    /** How many unreadable files a streamed set skipped so far ({@code data.skip_unreadable}); 0 for a set in memory. */
    public int skippedFiles() {
        return stream == null ? 0 : stream.skipped();
    }

    /** Whether the set is read from files as it is used. */
    public boolean streams() {
        return stream != null;
    }

    public String name() {
        return name;
    }

    public int size() {
        return count;
    }

    public int numClasses() {
        return numClasses;
    }

    public Shape imageShape() {
        return new Shape(channels, height, width);
    }

    public int label(int index) {
        return labels[index];
    }

    /** All labels, indexed by sample. */
    public int[] labels() {
        return labels.clone();
    }

    /** The first {@code n} samples (or all when {@code n >= size()}), keeping their indices. */
    public ImageSet head(int n) {
        if (n >= count) {
            return this;
        }
        if (stream != null) {
            return streamed(stream.head(n), mean, std);
        }
        int perImage = channels * height * width;
        byte[] px = new byte[n * perImage];
        System.arraycopy(pixels, 0, px, 0, px.length);
        int[] lb = new int[n];
        System.arraycopy(labels, 0, lb, 0, n);
        return new ImageSet(name + "[:" + n + "]", channels, height, width, px, lb, numClasses, mean, std);
    }

    /**
     * Normalised float32 images {@code [B, C, H, W]} of the given samples. A streamed set that may
     * replace unreadable files needs {@link #batch} instead, which says which samples were used.
     */
    public NDArray images(NDManager manager, int[] indices, Augmentation augmentation, SplittableRandom random) {
        return batch(manager, indices, augmentation, random).images();
    }

    /** The batch's images, decoded on the set's {@link DecodePool} when it streams, and the samples they show. */
    public Batch batch(NDManager manager, int[] indices, Augmentation augmentation, SplittableRandom random) {
        return toBatch(manager, prepare(indices, augmentation, random, true));
    }

    /**
     * The prepared batch as an engine array owned by {@code manager}; its buffer goes back to the
     * set. DJL's CPU arrays made from a direct buffer use that buffer's memory, so the pixels are
     * copied into the engine's own memory first (freed with {@code manager}, not by the collector).
     */
    public Batch toBatch(NDManager manager, Prepared prepared) {
        int[] indices = prepared.indices();
        Shape shape = new Shape(indices.length, channels, height, width);
        NDArray images;
        try (NDArray view = manager.create(prepared.buffer(), shape, DataType.FLOAT32)) {
            images = view.duplicate();
        }
        buffers.give(prepared.buffer());
        return new Batch(images, indices);
    }

    /**
     * The batch made off the engine, on this thread ({@code parallel} false) or, for a streamed
     * set, spread over its decode pool; the pixels are the same either way.
     */
    public Prepared prepare(int[] indices, Augmentation augmentation, SplittableRandom random, boolean parallel) {
        int perImage = channels * height * width;
        ByteBuffer buffer = buffers.take(indices.length * perImage);
        if (stream == null) {
            FloatBuffer out = buffer.asFloatBuffer();
            byte[] scratch = new byte[perImage];
            float[] normalised = new float[perImage];
            for (int b = 0; b < indices.length; b++) {
                System.arraycopy(pixels, indices[b] * perImage, scratch, 0, perImage);
                augmentation.apply(scratch, channels, height, width, random);
                normalise(scratch, normalised, 0);
                out.put(b * perImage, normalised);
            }
            return new Prepared(buffer, indices.clone());
        }
        SplittableRandom[] perSample = new SplittableRandom[indices.length];
        for (int b = 0; b < indices.length; b++) {
            perSample[b] = random == null ? null : random.split();
        }
        int[] used = new int[indices.length];
        int workers = parallel ? Math.min(stream.pool().workers(), indices.length) : 1;
        if (workers <= 1) {
            readRange(indices, augmentation, perSample, 0, indices.length, buffer, used);
        } else {
            List<Future<Void>> parts = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                int from = (int) ((long) indices.length * w / workers);
                int to = (int) ((long) indices.length * (w + 1) / workers);
                parts.add(stream.pool().submit(() -> {
                    readRange(indices, augmentation, perSample, from, to, buffer, used);
                    return null;
                }));
            }
            for (Future<Void> part : parts) {
                await(part);
            }
        }
        return new Prepared(buffer, used);
    }

    /** The result of a decode task; its {@link DataException} (one line naming the file) passes through unchanged. */
    public static <T> T await(Future<T> task) {
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while images were decoded", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private void readRange(
            int[] indices,
            Augmentation augmentation,
            SplittableRandom[] random,
            int from,
            int to,
            ByteBuffer buffer,
            int[] used) {
        int perImage = channels * height * width;
        // A view of its own per thread: absolute puts into disjoint ranges of one buffer.
        FloatBuffer out = buffer.asFloatBuffer();
        byte[] scratch = new byte[perImage];
        float[] normalised = new float[perImage];
        for (int b = from; b < to; b++) {
            used[b] = stream.read(indices[b], scratch, random[b]);
            if (random[b] != null) {
                augmentation.apply(scratch, channels, height, width, random[b]);
            }
            normalise(scratch, normalised, 0);
            out.put(b * perImage, normalised);
        }
    }

    /**
     * Four views of each sample, {@code [4B, C, H, W]}: row {@code 4b + r} is sample {@code b}
     * rotated by {@code r · 90°} counter-clockwise (SSKD's layout), augmented as {@code views} says.
     */
    public NDArray rotatedViews(NDManager manager, int[] indices, RotatedViews views, SplittableRandom random) {
        if (height != width) {
            throw new IllegalArgumentException(
                    name + ": rotated views need square images, these are " + height + "×" + width);
        }
        int perImage = channels * height * width;
        float[] out = new float[4 * indices.length * perImage];
        byte[] source = new byte[perImage];
        for (int b = 0; b < indices.length; b++) {
            SplittableRandom sample = random;
            if (stream == null) {
                System.arraycopy(pixels, indices[b] * perImage, source, 0, perImage);
            } else {
                sample = random.split();
                int used = stream.read(indices[b], source, sample);
                if (used != indices[b]) {
                    throw new DataException(stream.files().path(indices[b]) + ": unreadable, and rotated views cannot"
                            + " replace a sample; replace the file");
                }
            }
            byte[][] four = views.apply(source, channels, height, sample);
            for (int r = 0; r < 4; r++) {
                normalise(four[r], out, (4 * b + r) * perImage);
            }
        }
        return manager.create(out, new Shape(4L * indices.length, channels, height, width));
    }

    private void normalise(byte[] image, float[] out, int base) {
        int plane = height * width;
        for (int c = 0; c < channels; c++) {
            float m = mean[c];
            float inv = 1f / std[c];
            int off = c * plane;
            for (int p = 0; p < plane; p++) {
                out[base + off + p] = ((image[off + p] & 0xff) / 255f - m) * inv;
            }
        }
    }

    /** Labels {@code [B]} as int64. */
    public NDArray labels(NDManager manager, int[] indices) {
        long[] out = new long[indices.length];
        for (int b = 0; b < indices.length; b++) {
            out[b] = labels[indices[b]];
        }
        return manager.create(out);
    }

    /**
     * SHA-256 of the pixels and labels, for tracking which data a run saw. Computed once: a run asks
     * for it several times, and over 1.28 M file names (or 150 MB of CIFAR pixels) each time would
     * be seconds and, for a streamed set, garbage in proportion to the number of images.
     */
    public String fingerprint() {
        String f = fingerprint;
        if (f == null) {
            f = stream != null ? stream.fingerprint() : pixelFingerprint();
            fingerprint = f;
        }
        return f;
    }

    private String pixelFingerprint() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(pixels);
            for (int label : labels) {
                digest.update((byte) label);
            }
            return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
