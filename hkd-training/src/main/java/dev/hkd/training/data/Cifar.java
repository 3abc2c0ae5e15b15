package dev.hkd.training.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CIFAR-10 and CIFAR-100 in their "binary version": records of one label byte (CIFAR-100: coarse
 * then fine) followed by 3 072 bytes of R, G, B planes of 32×32. CIFAR-10 is
 * {@code data_batch_1..5.bin} / {@code test_batch.bin}, CIFAR-100 {@code train.bin} /
 * {@code test.bin}, directly in the folder or in its {@code cifar-10-batches-bin} /
 * {@code cifar-100-binary} sub-folder. Labels are CIFAR-100's fine labels.
 */
public final class Cifar {

    /** The reference's CIFAR-100 normalisation (docs/methods.md#recipe). */
    public static final float[] CIFAR100_MEAN = {0.5071f, 0.4867f, 0.4408f};

    public static final float[] CIFAR100_STD = {0.2675f, 0.2565f, 0.2761f};
    /** SSKD's CIFAR-100 mean (docs/methods.md#sskd); its std is RepDistiller's. */
    public static final float[] SSKD_MEAN = {0.5071f, 0.4866f, 0.4409f};
    /** CIFAR-10 statistics, which ReviewKD also uses for CIFAR-100 (D14). */
    public static final float[] CIFAR10_MEAN = {125.3f / 255, 123.0f / 255, 113.9f / 255};

    public static final float[] CIFAR10_STD = {63.0f / 255, 62.1f / 255, 66.7f / 255};

    private static final int PIXELS = 3 * 32 * 32;

    /** Which CIFAR. */
    public enum Variant {
        CIFAR10(
                10,
                1,
                "cifar-10-batches-bin",
                List.of(
                        "data_batch_1.bin",
                        "data_batch_2.bin",
                        "data_batch_3.bin",
                        "data_batch_4.bin",
                        "data_batch_5.bin"),
                List.of("test_batch.bin")),
        CIFAR100(100, 2, "cifar-100-binary", List.of("train.bin"), List.of("test.bin"));

        private final int classes;
        private final int labelBytes;
        private final String subfolder;
        private final List<String> train;
        private final List<String> test;

        Variant(int classes, int labelBytes, String subfolder, List<String> train, List<String> test) {
            this.classes = classes;
            this.labelBytes = labelBytes;
            this.subfolder = subfolder;
            this.train = train;
            this.test = test;
        }
    }

    private Cifar() {}

    /** Reads a split; {@code mean}/{@code std} are the per-channel normalisation. */
    public static ImageSet load(Path dir, Variant variant, boolean train, float[] mean, float[] std) {
        Path base = Files.isDirectory(dir.resolve(variant.subfolder)) ? dir.resolve(variant.subfolder) : dir;
        List<String> files = train ? variant.train : variant.test;
        List<byte[]> chunks = new ArrayList<>();
        int records = 0;
        int record = variant.labelBytes + PIXELS;
        for (String name : files) {
            Path f = base.resolve(name);
            if (!Files.isRegularFile(f)) {
                throw new DataException(
                        f + ": missing (expected the " + variant.name().replace("CIFAR", "CIFAR-") + " binary version: "
                                + String.join(", ", files) + " in " + dir + ")");
            }
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(f);
            } catch (IOException e) {
                throw new DataException(f + ": cannot read (" + e.getMessage() + ")");
            }
            if (bytes.length == 0 || bytes.length % record != 0) {
                throw new DataException(f + ": " + bytes.length + " bytes is not a whole number of " + record
                        + "-byte records (" + variant.labelBytes + " label byte(s) + 3072 pixels)");
            }
            chunks.add(bytes);
            records += bytes.length / record;
        }
        byte[] pixels = new byte[records * PIXELS];
        int[] labels = new int[records];
        int at = 0;
        for (byte[] bytes : chunks) {
            for (int r = 0; r < bytes.length / record; r++, at++) {
                int offset = r * record;
                labels[at] = bytes[offset + variant.labelBytes - 1] & 0xff;
                System.arraycopy(bytes, offset + variant.labelBytes, pixels, at * PIXELS, PIXELS);
            }
        }
        return new ImageSet(
                variant.name().toLowerCase() + (train ? "/train" : "/test") + " (" + dir + ")",
                3,
                32,
                32,
                pixels,
                labels,
                variant.classes,
                mean,
                std);
    }
}
