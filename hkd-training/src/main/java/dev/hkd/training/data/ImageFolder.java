package dev.hkd.training.data;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * An ImageNet-style folder: one sub-folder per class (sorted names give the label), images
 * decoded with ImageIO (JPEG, PNG, …) and resized to {@code size × size} RGB, held in memory.
 * Fits small sets; ImageNet itself needs a streaming reader.
 */
public final class ImageFolder {

    /** ImageNet statistics. */
    public static final float[] MEAN = {0.485f, 0.456f, 0.406f};
    public static final float[] STD = {0.229f, 0.224f, 0.225f};

    private ImageFolder() {
    }

    public static ImageSet load(Path dir, int size) {
        if (!Files.isDirectory(dir)) {
            throw new DataException(dir + ": no such image folder (expected one sub-folder of images per class)");
        }
        List<Path> classes;
        try (Stream<Path> list = Files.list(dir)) {
            classes = list.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new DataException(dir + ": cannot list (" + e.getMessage() + ")");
        }
        if (classes.isEmpty()) {
            throw new DataException(dir + ": no class sub-folders (expected one sub-folder of images per class)");
        }
        List<byte[]> images = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            List<Path> files;
            try (Stream<Path> list = Files.list(classes.get(c))) {
                files = list.filter(ImageFolder::isImage).sorted().toList();
            } catch (IOException e) {
                throw new DataException(classes.get(c) + ": cannot list (" + e.getMessage() + ")");
            }
            for (Path f : files) {
                images.add(decode(f, size));
                labels.add(c);
            }
        }
        if (images.isEmpty()) {
            throw new DataException(dir + ": no images (.jpg, .jpeg, .png, .bmp, .gif) in its class sub-folders");
        }
        int perImage = 3 * size * size;
        byte[] pixels = new byte[images.size() * perImage];
        for (int i = 0; i < images.size(); i++) {
            System.arraycopy(images.get(i), 0, pixels, i * perImage, perImage);
        }
        return new ImageSet("image-folder (" + dir + ")", 3, size, size, pixels,
                labels.stream().mapToInt(Integer::intValue).toArray(), classes.size(), MEAN, STD);
    }

    private static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png") || n.endsWith(".bmp") || n.endsWith(".gif");
    }

    /** Decoded, resized to size × size, as channel-major RGB bytes. */
    private static byte[] decode(Path file, int size) {
        BufferedImage src;
        try {
            src = ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new DataException(file + ": cannot decode (" + e.getMessage() + ")");
        }
        if (src == null) {
            throw new DataException(file + ": not an image ImageIO can decode (JPEG, PNG, BMP, GIF)");
        }
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(src, 0, 0, size, size, null);
        g.dispose();
        byte[] out = new byte[3 * size * size];
        int plane = size * size;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int rgb = img.getRGB(x, y);
                out[y * size + x] = (byte) (rgb >> 16);
                out[plane + y * size + x] = (byte) (rgb >> 8);
                out[2 * plane + y * size + x] = (byte) rgb;
            }
        }
        return out;
    }
}
