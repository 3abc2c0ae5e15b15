package dev.hkd.training.data;

import java.util.SplittableRandom;

/**
 * Random crop from the image zero-padded by {@code pad} pixels on each side, then a horizontal
 * flip with probability ½ — the reference CIFAR augmentation (docs/methods.md#recipe) for any size.
 *
 * @param pad the zero padding on each side, and so the largest shift
 * @param flip whether it mirrors images (with probability ½)
 */
public record CropFlip(int pad, boolean flip) implements Augmentation {

    /** The same crop without the flip. */
    public CropFlip withoutFlip() {
        return new CropFlip(pad, false);
    }

    @Override
    public void apply(byte[] image, int channels, int height, int width, SplittableRandom random) {
        int dy = random.nextInt(2 * pad + 1) - pad;
        int dx = random.nextInt(2 * pad + 1) - pad;
        boolean mirror = flip && random.nextBoolean();
        byte[] src = image.clone();
        for (int c = 0; c < channels; c++) {
            int plane = c * height * width;
            for (int y = 0; y < height; y++) {
                int sy = y + dy;
                for (int x = 0; x < width; x++) {
                    int sx = (mirror ? width - 1 - x : x) + dx;
                    image[plane + y * width + x] =
                            sy < 0 || sy >= height || sx < 0 || sx >= width ? 0 : src[plane + sy * width + sx];
                }
            }
        }
    }
}
