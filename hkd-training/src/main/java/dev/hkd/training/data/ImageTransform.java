package dev.hkd.training.data;

import java.nio.file.Path;
import java.util.SplittableRandom;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * How one image file becomes a {@code 3 × size × size} RGB uint8 sample, with torchvision's
 * geometry (docs/data.md#augmentation):
 * <ul>
 *   <li>{@link RandomResizedCrop}: {@code RandomResizedCrop(size)} (scale 0.08–1, ratio 3/4–4/3,
 *       ten tries, then the centre crop of the nearest allowed ratio) and {@code RandomHorizontalFlip};</li>
 *   <li>{@link ResizeCentreCrop}: {@code Resize(⌊size · 256/224⌋)} of the short side, then
 *       {@code CenterCrop(size)};</li>
 *   <li>{@link Resize}: the whole image to {@code size × size}.</li>
 * </ul>
 * Resampling is OpenCV's: area averaging where the image shrinks, bilinear where it grows
 * (torchvision's PIL path uses an antialiased bilinear filter; the two differ by a few grey levels).
 * With {@code reduced}, a JPEG whose crop shrinks by 2×, 4× or 8× or more is decoded at that
 * reduction by libjpeg's DCT scaling, and the crop, scaled to it, is resampled from there.
 *
 * <pre>{@code
 * byte[] chw = new byte[3 * 224 * 224];
 * new ImageTransform.RandomResizedCrop(224, false).apply(file, Seeds.random(seed, epoch, step), chw);
 * }</pre>
 */
public sealed interface ImageTransform {

    /** The sample's side. */
    int size();

    /** Reads {@code file}, transforms it (drawing from {@code random} if it is random) into {@code out}, CHW RGB. */
    void apply(Path file, SplittableRandom random, byte[] out);

    /** Training on ImageNet: a random resized crop and a horizontal flip with probability ½. */
    record RandomResizedCrop(int size, boolean reduced) implements ImageTransform {

        private static final double MIN_SCALE = 0.08;
        private static final double LOG_MIN_RATIO = Math.log(3.0 / 4.0);
        private static final double LOG_MAX_RATIO = Math.log(4.0 / 3.0);

        /** The crop {@code (x, y, w, h)} torchvision's {@code RandomResizedCrop.get_params} gives for this image and these draws. */
        static int[] crop(int width, int height, SplittableRandom random) {
            double area = (double) width * height;
            for (int attempt = 0; attempt < 10; attempt++) {
                double target = area * (MIN_SCALE + (1 - MIN_SCALE) * random.nextDouble());
                double ratio = Math.exp(LOG_MIN_RATIO + (LOG_MAX_RATIO - LOG_MIN_RATIO) * random.nextDouble());
                int w = (int) Math.rint(Math.sqrt(target * ratio));
                int h = (int) Math.rint(Math.sqrt(target / ratio));
                if (w > 0 && w <= width && h > 0 && h <= height) {
                    int y = random.nextInt(height - h + 1);
                    int x = random.nextInt(width - w + 1);
                    return new int[] {x, y, w, h};
                }
            }
            double inRatio = (double) width / height;
            int w = width;
            int h = height;
            if (inRatio < 3.0 / 4.0) {
                h = (int) Math.rint(w / (3.0 / 4.0));
            } else if (inRatio > 4.0 / 3.0) {
                w = (int) Math.rint(h * (4.0 / 3.0));
            }
            return new int[] {(width - w) / 2, (height - h) / 2, w, h};
        }

        @Override
        public void apply(Path file, SplittableRandom random, byte[] out) {
            byte[] bytes = ImageDecoder.readBytes(file);
            ImageHeader header = ImageHeader.read(file, bytes);
            int[] c = crop(header.width(), header.height(), random);
            boolean mirror = random.nextBoolean();
            int reduction = reduced ? reduction(header, Math.min(c[2], c[3]), size) : 1;
            Mat image = ImageDecoder.decode(file, bytes, header, reduction);
            try {
                Rect rect = scaled(c, header, image);
                Mat crop = image.submat(rect);
                writeResized(crop, mirror, size, out);
                crop.release();
            } finally {
                image.release();
            }
        }
    }

    /** Evaluation on ImageNet: the short side resized to {@code ⌊size · 256/224⌋}, then the centre {@code size × size}. */
    record ResizeCentreCrop(int size, boolean reduced) implements ImageTransform {

        /** The resized image's width and height for an image of this size (torchvision's {@code Resize(int)}). */
        static int[] resized(int width, int height, int size) {
            int shortSide = (int) Math.floor(size * 256.0 / 224.0);
            if (width <= height) {
                return new int[] {shortSide, (int) ((long) shortSide * height / width)};
            }
            return new int[] {(int) ((long) shortSide * width / height), shortSide};
        }

        @Override
        public void apply(Path file, SplittableRandom random, byte[] out) {
            byte[] bytes = ImageDecoder.readBytes(file);
            ImageHeader header = ImageHeader.read(file, bytes);
            int[] r = resized(header.width(), header.height(), size);
            int reduction =
                    reduced ? reduction(header, Math.min(header.width(), header.height()), Math.min(r[0], r[1])) : 1;
            Mat image = ImageDecoder.decode(file, bytes, header, reduction);
            Mat resizedImage = new Mat();
            try {
                Imgproc.resize(image, resizedImage, new Size(r[0], r[1]), 0, 0, interpolation(image, r[0], r[1]));
                int top = (int) Math.rint((r[1] - size) / 2.0);
                int left = (int) Math.rint((r[0] - size) / 2.0);
                Mat crop = resizedImage.submat(new Rect(left, top, size, size));
                writeResized(crop, false, size, out);
                crop.release();
            } finally {
                resizedImage.release();
                image.release();
            }
        }
    }

    /** The whole image to {@code size × size} (image folders, and Tiny-ImageNet at another size than 64). */
    record Resize(int size) implements ImageTransform {

        @Override
        public void apply(Path file, SplittableRandom random, byte[] out) {
            byte[] bytes = ImageDecoder.readBytes(file);
            ImageHeader header = ImageHeader.read(file, bytes);
            Mat image = ImageDecoder.decode(file, bytes, header, 1);
            try {
                writeResized(image, false, size, out);
            } finally {
                image.release();
            }
        }
    }

    /**
     * The largest DCT reduction (8, 4 or 2) that keeps a JPEG region whose short side is
     * {@code regionShort} pixels at least {@code target} pixels on that side; 1 for other formats.
     */
    static int reduction(ImageHeader header, int regionShort, int target) {
        if (header.format() != ImageHeader.Format.JPEG) {
            return 1;
        }
        for (int r = 8; r > 1; r /= 2) {
            if (regionShort / r >= target) {
                return r;
            }
        }
        return 1;
    }

    /** The crop {@code c} (original pixels) in the decoded image's pixels, inside it. */
    private static Rect scaled(int[] c, ImageHeader header, Mat image) {
        if (image.cols() == header.width() && image.rows() == header.height()) {
            return new Rect(c[0], c[1], c[2], c[3]);
        }
        double sx = (double) image.cols() / header.width();
        double sy = (double) image.rows() / header.height();
        int x = Math.min(image.cols() - 1, (int) Math.floor(c[0] * sx));
        int y = Math.min(image.rows() - 1, (int) Math.floor(c[1] * sy));
        int w = Math.max(1, Math.min(image.cols() - x, (int) Math.rint(c[2] * sx)));
        int h = Math.max(1, Math.min(image.rows() - y, (int) Math.rint(c[3] * sy)));
        return new Rect(x, y, w, h);
    }

    private static int interpolation(Mat from, int width, int height) {
        return width <= from.cols() && height <= from.rows() ? Imgproc.INTER_AREA : Imgproc.INTER_LINEAR;
    }

    /** {@code region} (BGR) resampled to {@code size × size}, mirrored if asked, into {@code out} as CHW RGB. */
    private static void writeResized(Mat region, boolean mirror, int size, byte[] out) {
        Mat sample = region;
        boolean own = region.cols() != size || region.rows() != size;
        if (own) {
            sample = new Mat();
            Imgproc.resize(region, sample, new Size(size, size), 0, 0, interpolation(region, size, size));
        }
        if (mirror) {
            Mat flipped = new Mat();
            Core.flip(sample, flipped, 1);
            if (own) {
                sample.release();
            }
            sample = flipped;
            own = true;
        }
        byte[] hwc = ImageDecoder.threadScratch(size * size * 3);
        if (sample.isContinuous()) {
            sample.get(0, 0, hwc);
        } else {
            Mat copy = sample.clone();
            copy.get(0, 0, hwc);
            copy.release();
        }
        if (own) {
            sample.release();
        }
        int plane = size * size;
        for (int p = 0; p < plane; p++) {
            out[p] = hwc[3 * p + 2];
            out[plane + p] = hwc[3 * p + 1];
            out[2 * plane + p] = hwc[3 * p];
        }
    }
}
