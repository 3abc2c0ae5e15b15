package dev.hkd.training.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.hkd.training.train.Engines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class CifarTest {

    @TempDir
    Path dir;

    /** Writes CIFAR-100 binary files: record i has coarse label 99, fine label i mod 100, pixels (i + p) mod 256. */
    public static void writeCifar100(Path dir, int train, int test) throws IOException {
        Path base = Files.createDirectories(dir.resolve("cifar-100-binary"));
        Files.write(base.resolve("train.bin"), records(train, 2));
        Files.write(base.resolve("test.bin"), records(test, 2));
    }

    static byte[] records(int n, int labelBytes) {
        int record = labelBytes + 3072;
        byte[] out = new byte[n * record];
        for (int i = 0; i < n; i++) {
            if (labelBytes == 2) {
                out[i * record] = 99;
            }
            out[i * record + labelBytes - 1] = (byte) (i % (labelBytes == 2 ? 100 : 10));
            for (int p = 0; p < 3072; p++) {
                out[i * record + labelBytes + p] = (byte) (i + p);
            }
        }
        return out;
    }

    @Test
    void readsCifar100FineLabelsAndPixels() throws IOException {
        writeCifar100(dir, 7, 3);
        ImageSet train = Cifar.load(dir, Cifar.Variant.CIFAR100, true, Cifar.CIFAR100_MEAN, Cifar.CIFAR100_STD);
        assertEquals(7, train.size());
        assertEquals(100, train.numClasses());
        assertEquals(5, train.label(5));
        try (NDManager m = Engines.training().newBaseManager()) {
            float first =
                    train.images(m, new int[] {2}, Augmentation.NONE, null).getFloat(0, 0, 0, 1);
            assertEquals((3 / 255f - 0.5071f) / 0.2675f, first, 1e-6f);
        }
    }

    @Test
    void readsTheFiveCifar10TrainingBatches() throws IOException {
        for (int b = 1; b <= 5; b++) {
            Files.write(dir.resolve("data_batch_" + b + ".bin"), records(4, 1));
        }
        Files.write(dir.resolve("test_batch.bin"), records(2, 1));
        ImageSet train = Cifar.load(dir, Cifar.Variant.CIFAR10, true, Cifar.CIFAR10_MEAN, Cifar.CIFAR10_STD);
        assertEquals(20, train.size());
        assertEquals(10, train.numClasses());
    }

    @Test
    void aMissingOrTruncatedFileIsOneLineNamingItAndTheFormat() throws IOException {
        DataException missing = assertThrows(
                DataException.class,
                () -> Cifar.load(dir, Cifar.Variant.CIFAR100, true, Cifar.CIFAR100_MEAN, Cifar.CIFAR100_STD));
        assertTrue(
                missing.getMessage().contains("train.bin")
                        && missing.getMessage().contains("binary version"),
                missing.getMessage());
        Files.write(dir.resolve("train.bin"), new byte[3000]);
        DataException truncated = assertThrows(
                DataException.class,
                () -> Cifar.load(dir, Cifar.Variant.CIFAR100, true, Cifar.CIFAR100_MEAN, Cifar.CIFAR100_STD));
        assertTrue(truncated.getMessage().contains("3074-byte records"), truncated.getMessage());
        assertFalse(truncated.getMessage().contains("\n"));
    }

    @Test
    void cropFlipPadsWithZerosShiftsAndMirrors() {
        byte[] image = new byte[2 * 3 * 3];
        for (int i = 0; i < image.length; i++) {
            image[i] = (byte) (i + 1);
        }
        byte[] original = image.clone();
        CropFlip cropFlip = new CropFlip(4, true);
        boolean changed = false;
        for (long seed = 0; seed < 20 && !changed; seed++) {
            byte[] copy = original.clone();
            cropFlip.apply(copy, 2, 3, 3, new SplittableRandom(seed));
            changed = !java.util.Arrays.equals(copy, original);
        }
        assertTrue(changed, "crop-flip never changed the image");
        byte[] same1 = original.clone();
        byte[] same2 = original.clone();
        cropFlip.apply(same1, 2, 3, 3, new SplittableRandom(3));
        cropFlip.apply(same2, 2, 3, 3, new SplittableRandom(3));
        assertArrayEquals(same1, same2, "the same random source gives the same crop");
        assertNotEquals(0, original[0]);
    }
}
