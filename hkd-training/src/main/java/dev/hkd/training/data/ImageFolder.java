package dev.hkd.training.data;

import java.nio.file.Path;

/**
 * An image folder held in memory: {@code train/} and {@code val/} under one folder, each with one
 * sub-folder per class (sorted names give the label; both must name the same classes), every
 * image decoded once by {@link ImageDecoder} (JPEG, PNG, BMP, GIF, each checked by
 * {@link ImageHeader} first) and resized to {@code size × size} RGB. Fits small sets; ImageNet
 * itself streams ({@code dataset: imagenet}).
 */
public final class ImageFolder {

    /** ImageNet statistics. */
    public static final float[] MEAN = {0.485f, 0.456f, 0.406f};

    public static final float[] STD = {0.229f, 0.224f, 0.225f};

    private ImageFolder() {}

    /** The train and val sets of {@code dir}. */
    public static ImageSet[] load(Path dir, int size) {
        ImageFiles train = ImageFiles.classFolders(dir.resolve("train"), "image-folder/train");
        ImageFiles val = ImageFiles.classFolders(dir.resolve("val"), "image-folder/val");
        ImageFiles.sameClasses(dir, train, val);
        return new ImageSet[] {inMemory(train, size), inMemory(val, size)};
    }

    private static ImageSet inMemory(ImageFiles files, int size) {
        int perImage = 3 * size * size;
        long total = (long) files.size() * perImage;
        if (total > Integer.MAX_VALUE - 8) {
            throw new DataException(files.name() + ": " + files.size() + " images of " + size + "×" + size
                    + " do not fit in memory as one image-folder set; use dataset: imagenet, which streams them");
        }
        byte[] pixels = new byte[(int) total];
        byte[] one = new byte[perImage];
        ImageTransform resize = new ImageTransform.Resize(size);
        for (int i = 0; i < files.size(); i++) {
            resize.apply(files.path(i), null, one);
            System.arraycopy(one, 0, pixels, i * perImage, perImage);
        }
        return new ImageSet(
                files.name(),
                3,
                size,
                size,
                pixels,
                files.labels(),
                files.classes().size(),
                MEAN,
                STD);
    }
}
