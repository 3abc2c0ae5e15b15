package dev.hkd.training.data;

import java.util.SplittableRandom;

/**
 * SSKD's four views of an image (docs/methods.md#sskd): one horizontal-flip decision for all four, then
 * rotations by 0, 90, 180 and 270° counter-clockwise (numpy's {@code rot90}), then the rest of the
 * augmentation (the random crop) drawn separately for each view.
 */
public final class RotatedViews {

    private final boolean flip;
    private final Augmentation perView;

    public RotatedViews(boolean flip, Augmentation perView) {
        this.flip = flip;
        this.perView = perView;
    }

    /** The views matching a run's augmentation: crop-flip flips once per image and crops each view. */
    public static RotatedViews of(Augmentation augmentation) {
        if (augmentation instanceof CropFlip cf) {
            return new RotatedViews(cf.flip(), cf.withoutFlip());
        }
        return new RotatedViews(false, augmentation);
    }

    /** Four augmented views of a square {@code channels × size × size} image (the input is left alone). */
    public byte[][] apply(byte[] image, int channels, int size, SplittableRandom random) {
        byte[] base = image;
        if (flip && random.nextBoolean()) {
            base = mirror(image, channels, size);
        }
        byte[][] views = new byte[4][];
        views[0] = base.clone();
        for (int r = 1; r < 4; r++) {
            views[r] = rotateCounterClockwise(views[r - 1], channels, size);
        }
        for (byte[] v : views) {
            perView.apply(v, channels, size, size, random);
        }
        return views;
    }

    /** {@code out[y][x] = in[x][size-1-y]}: a quarter turn counter-clockwise, as numpy's rot90. */
    static byte[] rotateCounterClockwise(byte[] in, int channels, int size) {
        byte[] out = new byte[in.length];
        int plane = size * size;
        for (int c = 0; c < channels; c++) {
            int o = c * plane;
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    out[o + y * size + x] = in[o + x * size + (size - 1 - y)];
                }
            }
        }
        return out;
    }

    private static byte[] mirror(byte[] in, int channels, int size) {
        byte[] out = new byte[in.length];
        for (int c = 0; c < channels; c++) {
            int o = c * size * size;
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    out[o + y * size + x] = in[o + y * size + (size - 1 - x)];
                }
            }
        }
        return out;
    }
}
