package dev.hkd.training.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * Reads and decodes image files with OpenCV (its bundled libjpeg-turbo and libpng), chosen over
 * ImageIO by measurement (docs/data.md#decoding). Every file is checked by {@link ImageHeader}
 * first; grey, palette and CMYK images come out as three-channel colour. Thread-safe: each call
 * owns its native buffers and releases them before returning the pixels.
 */
public final class ImageDecoder {

    /** Files larger than this are refused before they are read (no ImageNet JPEG is over 16 MB). */
    public static final long MAX_FILE_BYTES = 256L << 20;

    private static volatile boolean loaded;

    private ImageDecoder() {}

    /** Loads OpenCV's native library once per process (extracted from its jar). */
    static void loadNatives() {
        if (!loaded) {
            synchronized (ImageDecoder.class) {
                if (!loaded) {
                    nu.pattern.OpenCV.loadLocally();
                    // Parallelism comes from the decode workers; OpenCV's own pool would only compete with them.
                    Core.setNumThreads(1);
                    loaded = true;
                }
            }
        }
    }

    /** Each decode thread's buffer for a decoded image's pixels, used again sample after sample. */
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[0]);

    /**
     * This thread's scratch array of exactly {@code length} bytes, kept for its next call: a batch
     * then leaves no image-sized garbage per sample behind (see {@link BatchBuffers} for why that matters).
     */
    static byte[] threadScratch(int length) {
        byte[] scratch = SCRATCH.get();
        if (scratch.length != length) {
            scratch = new byte[length];
            SCRATCH.set(scratch);
        }
        return scratch;
    }

    /** The file's bytes, read whole; one-line errors for a missing, unreadable or oversized file. */
    public static byte[] readBytes(Path file) {
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new DataException(
                        file + ": " + size + " bytes, over the limit of " + MAX_FILE_BYTES + " for one image");
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new DataException(
                    file + ": cannot read (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
    }

    /**
     * Decodes {@code bytes}; a JPEG at {@code 1/reduction} of its size (1, 2, 4 or 8: libjpeg's
     * DCT scaling, each side rounded up), other formats always whole: a BGR {@code Mat} of 8-bit
     * pixels that the caller must {@code release()}.
     */
    public static Mat decode(Path file, byte[] bytes, ImageHeader header, int reduction) {
        loadNatives();
        int flags = Imgcodecs.IMREAD_COLOR;
        if (header.format() == ImageHeader.Format.JPEG) {
            flags = switch (reduction) {
                case 1 -> Imgcodecs.IMREAD_COLOR;
                case 2 -> Imgcodecs.IMREAD_REDUCED_COLOR_2;
                case 4 -> Imgcodecs.IMREAD_REDUCED_COLOR_4;
                case 8 -> Imgcodecs.IMREAD_REDUCED_COLOR_8;
                default -> throw new IllegalArgumentException("reduction " + reduction + " is not 1, 2, 4 or 8");
            };
        }
        MatOfByte buffer = new MatOfByte(bytes);
        Mat image = Imgcodecs.imdecode(buffer, flags);
        buffer.release();
        if (image.empty() || image.channels() != 3) {
            image.release();
            throw new DataException(file + ": corrupt " + header.format() + " data (the decoder gave no image);"
                    + " replace the file, or set data.skip_unreadable: true");
        }
        return image;
    }
}
