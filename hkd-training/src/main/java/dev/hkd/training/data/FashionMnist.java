package dev.hkd.training.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Fashion-MNIST (Zalando, MIT licence) from its original IDX files, gzipped or not:
 * {@code {train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz]}.
 */
public final class FashionMnist {

    /** Where Debian's {@code dataset-fashion-mnist} package installs the files. */
    public static final Path DEBIAN_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    /** The environment variable naming a folder with the files. */
    public static final String DATA_DIR_ENV = "HKD_DATA_DIR";

    private static final String EMBEDDED = "/dev/hkd/training/data/fashion-mnist-subset/";
    private static final int CLASSES = 10;
    // Per-pixel statistics of the 60 000 training images.
    private static final float[] MEAN = {0.2860f};
    private static final float[] STD = {0.3530f};

    /** The train or test split. */
    public enum Split {
        TRAIN("train"),
        TEST("t10k");

        private final String prefix;

        Split(String prefix) {
            this.prefix = prefix;
        }
    }

    private FashionMnist() {}

    /**
     * The folder to read: {@code explicitDir} if given, else {@code $HKD_DATA_DIR}, else the Debian
     * package's folder; fails with one line naming both ways to supply the data.
     */
    public static Path locate(Path explicitDir, Map<String, String> environment) {
        return locate(explicitDir, environment, DEBIAN_DIR);
    }

    static Path locate(Path explicitDir, Map<String, String> environment, Path systemDir) {
        if (explicitDir != null) {
            requireFiles(explicitDir, "--data-dir");
            return explicitDir;
        }
        String env = environment.get(DATA_DIR_ENV);
        if (env != null && !env.isBlank()) {
            Path dir = Path.of(env);
            requireFiles(dir, DATA_DIR_ENV);
            return dir;
        }
        if (hasFiles(systemDir)) {
            return systemDir;
        }
        throw new DataException("Fashion-MNIST not found: pass --data-dir DIR (or set " + DATA_DIR_ENV
                + ") to a folder holding train-images-idx3-ubyte.gz and the other three IDX files, "
                + "or install the Debian package dataset-fashion-mnist (" + systemDir + ")");
    }

    /** Reads one split from a folder. */
    public static ImageSet load(Path dir, Split split) {
        IdxFile images = IdxFile.read(find(dir, split.prefix + "-images-idx3-ubyte"));
        IdxFile labels = IdxFile.read(find(dir, split.prefix + "-labels-idx1-ubyte"));
        return toImageSet("fashion-mnist/" + split.prefix + " (" + dir + ")", images, labels);
    }

    /**
     * The quickstart's embedded real subset, from the Debian package's test split:
     * train = t10k images 0–7999, test = t10k images 8000–9999.
     */
    public static ImageSet loadEmbedded(Split split) {
        String base = EMBEDDED + split.prefix;
        try (InputStream images = FashionMnist.class.getResourceAsStream(base + "-images-idx3-ubyte.gz");
                InputStream labels = FashionMnist.class.getResourceAsStream(base + "-labels-idx1-ubyte.gz")) {
            if (images == null || labels == null) {
                throw new DataException("embedded Fashion-MNIST subset missing from the classpath at " + base);
            }
            return toImageSet(
                    "fashion-mnist-subset/" + split.prefix,
                    IdxFile.read(images, base + "-images"),
                    IdxFile.read(labels, base + "-labels"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ImageSet toImageSet(String name, IdxFile images, IdxFile labels) {
        if (images.dims().length != 3 || labels.dims().length != 1) {
            throw new DataException(name + ": expected images [N, H, W] and labels [N]");
        }
        if (labels.count() != images.count()) {
            throw new DataException(name + ": " + images.count() + " images but " + labels.count() + " labels");
        }
        int[] lb = new int[labels.count()];
        for (int i = 0; i < lb.length; i++) {
            lb[i] = labels.data()[i] & 0xff;
            if (lb[i] >= CLASSES) {
                throw new DataException(
                        name + ": label " + lb[i] + " of image " + i + " is not a class (0 to " + (CLASSES - 1) + ")");
            }
        }
        return new ImageSet(name, 1, images.dims()[1], images.dims()[2], images.data(), lb, CLASSES, MEAN, STD);
    }

    private static Path find(Path dir, String stem) {
        Path gz = dir.resolve(stem + ".gz");
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        Path plain = dir.resolve(stem);
        if (Files.isRegularFile(plain)) {
            return plain;
        }
        throw new DataException(dir + ": missing " + stem + ".gz (or " + stem + ")");
    }

    private static boolean hasFiles(Path dir) {
        for (Split s : Split.values()) {
            for (String kind : new String[] {"-images-idx3-ubyte", "-labels-idx1-ubyte"}) {
                String stem = s.prefix + kind;
                if (!Files.isRegularFile(dir.resolve(stem + ".gz")) && !Files.isRegularFile(dir.resolve(stem))) {
                    return false;
                }
            }
        }
        return true;
    }

    private static void requireFiles(Path dir, String source) {
        if (!hasFiles(dir)) {
            throw new DataException(dir + " (from " + source + ") lacks the Fashion-MNIST IDX files "
                    + "{train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz]");
        }
    }
}
