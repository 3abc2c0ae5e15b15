package dev.hkd.training.data;

import java.util.SplittableRandom;

/**
 * A train-time transform of one uint8 image, applied in place before normalisation (as the
 * reference pads and crops the uint8 image). The random source is derived from (seed, epoch,
 * step), so an augmented epoch is the same after a resume.
 */
@FunctionalInterface
public interface Augmentation {

    Augmentation NONE = (image, channels, height, width, random) -> {};

    /**
     * @param image {@code channels × height × width} bytes, channel-major, modified in place
     */
    void apply(byte[] image, int channels, int height, int width, SplittableRandom random);
}
