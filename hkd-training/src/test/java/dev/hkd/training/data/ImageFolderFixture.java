package dev.hkd.training.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * Writes small image folders in the ImageNet and Tiny-ImageNet layouts, with OpenCV's encoder
 * (the library that decodes them): images of several sizes whose dominant colour is their class
 * (so a small network learns them in a few steps), and one grey JPEG.
 */
public final class ImageFolderFixture {

    private static final int[][] SIZES = {{80, 60}, {64, 64}, {120, 90}, {70, 100}, {150, 84}};

    private ImageFolderFixture() {}

    /** JPEG (or PNG, by the name's extension) bytes of a {@code width × height} image of class {@code label}; grey if asked. */
    public static byte[] encode(String extension, int width, int height, int label, long seed, boolean grey) {
        ImageDecoder.loadNatives();
        SplittableRandom random = new SplittableRandom(seed);
        int channels = grey ? 1 : 3;
        byte[] px = new byte[width * height * channels];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                for (int c = 0; c < channels; c++) {
                    // BGR: class 0 blue-ish, 1 green, 2 red, 3 dark; a gradient and noise on top.
                    int base = label == 3 ? 40 : (c == label ? 200 : 60);
                    if (grey) {
                        base = 40 + 50 * label;
                    }
                    int v = base + (x + y) % 32 - 16 + random.nextInt(21) - 10;
                    px[(y * width + x) * channels + c] = (byte) Math.max(0, Math.min(255, v));
                }
            }
        }
        Mat image = new Mat(height, width, grey ? CvType.CV_8UC1 : CvType.CV_8UC3);
        image.put(0, 0, px);
        MatOfByte out = new MatOfByte();
        boolean png = extension.equalsIgnoreCase(".png");
        Imgcodecs.imencode(
                extension, image, out, png ? new MatOfInt() : new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, 90));
        byte[] bytes = out.toArray();
        image.release();
        out.release();
        return bytes;
    }

    /** {@code root/train/<wnid>/*.JPEG} and {@code root/val/<wnid>/*.JPEG}; the first training image of class 1 is grey. */
    public static List<Path> imageNet(Path root, int classes, int perClass, int valPerClass) throws IOException {
        List<Path> written = new ArrayList<>();
        for (String split : new String[] {"train", "val"}) {
            int n = split.equals("train") ? perClass : valPerClass;
            for (int c = 0; c < classes; c++) {
                Path dir = Files.createDirectories(root.resolve(split).resolve(wnid(c)));
                for (int i = 0; i < n; i++) {
                    int[] size = SIZES[(i + c) % SIZES.length];
                    boolean grey = split.equals("train") && c == 1 && i == 0;
                    Path f = dir.resolve(wnid(c) + "_" + i + ".JPEG");
                    Files.write(
                            f,
                            encode(".jpg", size[0], size[1], c, 31L * c + i + (split.equals("val") ? 1000 : 0), grey));
                    written.add(f);
                }
            }
        }
        return written;
    }

    /** Tiny-ImageNet-200's layout with {@code classes} wnids: 64×64 JPEGs, val labelled by val_annotations.txt, an ignored test/. */
    public static void tinyImageNet(Path root, int classes, int perClass, int valPerClass) throws IOException {
        StringBuilder wnids = new StringBuilder();
        for (int c = classes - 1; c >= 0; c--) { // listed unsorted: the labels must not depend on the order of lines
            wnids.append(wnid(c)).append('\n');
        }
        Files.createDirectories(root);
        Files.writeString(root.resolve("wnids.txt"), wnids);
        for (int c = 0; c < classes; c++) {
            Path dir = Files.createDirectories(
                    root.resolve("train").resolve(wnid(c)).resolve("images"));
            Files.writeString(root.resolve("train").resolve(wnid(c)).resolve(wnid(c) + "_boxes.txt"), "");
            for (int i = 0; i < perClass; i++) {
                Files.write(
                        dir.resolve(wnid(c) + "_" + i + ".JPEG"),
                        encode(".jpg", 64, 64, c, 7L * c + i, c == 1 && i == 0));
            }
        }
        Path val = Files.createDirectories(root.resolve("val").resolve("images"));
        StringBuilder annotations = new StringBuilder();
        int k = 0;
        for (int i = 0; i < valPerClass; i++) {
            for (int c = 0; c < classes; c++) {
                String name = "val_" + k++ + ".JPEG";
                Files.write(val.resolve(name), encode(".jpg", 64, 64, c, 500L + k, false));
                annotations.append(name).append('\t').append(wnid(c)).append("\t0\t0\t63\t63\n");
            }
        }
        Files.writeString(root.resolve("val").resolve("val_annotations.txt"), annotations);
        Path test = Files.createDirectories(root.resolve("test").resolve("images"));
        Files.write(test.resolve("test_0.JPEG"), new byte[0]); // unlabelled and ignored, even when unreadable
    }

    public static String wnid(int c) {
        return String.format("n%08d", 1440000 + c);
    }
}
