package dev.hkd.training.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * A labelled image set held in memory as uint8 {@code N × C × H × W}, normalised per channel when
 * a batch is made. Sample {@code i} keeps index {@code i} for the memory-bank methods.
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

    public ImageSet(String name, int channels, int height, int width, byte[] pixels, int[] labels,
                    int numClasses, float[] mean, float[] std) {
        int perImage = channels * height * width;
        if (pixels.length != labels.length * perImage) {
            throw new DataException(name + ": " + labels.length + " labels but " + pixels.length / perImage + " images");
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
        int perImage = channels * height * width;
        byte[] px = new byte[n * perImage];
        System.arraycopy(pixels, 0, px, 0, px.length);
        int[] lb = new int[n];
        System.arraycopy(labels, 0, lb, 0, n);
        return new ImageSet(name + "[:" + n + "]", channels, height, width, px, lb, numClasses, mean, std);
    }

    /** Normalised float32 images {@code [B, C, H, W]} of the given samples. */
    public NDArray images(NDManager manager, int[] indices, Augmentation augmentation, SplittableRandom random) {
        int perImage = channels * height * width;
        float[] out = new float[indices.length * perImage];
        byte[] scratch = new byte[perImage];
        for (int b = 0; b < indices.length; b++) {
            System.arraycopy(pixels, indices[b] * perImage, scratch, 0, perImage);
            augmentation.apply(scratch, channels, height, width, random);
            normalise(scratch, out, b * perImage);
        }
        return manager.create(out, new Shape(indices.length, channels, height, width));
    }

    /**
     * Four views of each sample, {@code [4B, C, H, W]}: row {@code 4b + r} is sample {@code b}
     * rotated by {@code r · 90°} counter-clockwise (SSKD's layout), augmented as {@code views} says.
     */
    public NDArray rotatedViews(NDManager manager, int[] indices, RotatedViews views, SplittableRandom random) {
        if (height != width) {
            throw new IllegalArgumentException(name + ": rotated views need square images, these are " + height + "×" + width);
        }
        int perImage = channels * height * width;
        float[] out = new float[4 * indices.length * perImage];
        byte[] source = new byte[perImage];
        for (int b = 0; b < indices.length; b++) {
            System.arraycopy(pixels, indices[b] * perImage, source, 0, perImage);
            byte[][] four = views.apply(source, channels, height, random);
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

    /** SHA-256 of the pixels and labels, for tracking which data a run saw. */
    public String fingerprint() {
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
