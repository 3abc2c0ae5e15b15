package dev.hkd.training.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxFileTest {

    @TempDir
    Path dir;

    static byte[] idx(int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.put((byte) 0).put((byte) 0).put((byte) 8).put((byte) dims.length);
        for (int d : dims) {
            b.putInt(d);
        }
        b.put(data);
        return b.array();
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        }
        return out.toByteArray();
    }

    /** Writes a tiny Fashion-MNIST-shaped folder: n images of 2×3 pixels with labels i mod 10. */
    static void writeTinyDataset(Path dir, int n, boolean gzipped) throws IOException {
        for (String split : new String[] {"train", "t10k"}) {
            byte[] pixels = new byte[n * 6];
            byte[] labels = new byte[n];
            for (int i = 0; i < n; i++) {
                labels[i] = (byte) (i % 10);
                for (int p = 0; p < 6; p++) {
                    pixels[i * 6 + p] = (byte) (i * 6 + p);
                }
            }
            byte[] images = idx(new int[] {n, 2, 3}, pixels);
            byte[] lab = idx(new int[] {n}, labels);
            String suffix = gzipped ? ".gz" : "";
            Files.write(dir.resolve(split + "-images-idx3-ubyte" + suffix), gzipped ? gzip(images) : images);
            Files.write(dir.resolve(split + "-labels-idx1-ubyte" + suffix), gzipped ? gzip(lab) : lab);
        }
    }

    @Test
    void readsPlainAndGzippedFilesAlike() throws IOException {
        byte[] raw = idx(new int[] {2, 2, 2}, new byte[] {1, 2, 3, 4, 5, 6, 7, (byte) 200});
        Files.write(dir.resolve("plain"), raw);
        Files.write(dir.resolve("zipped.gz"), gzip(raw));
        IdxFile plain = IdxFile.read(dir.resolve("plain"));
        IdxFile zipped = IdxFile.read(dir.resolve("zipped.gz"));
        assertArrayEquals(new int[] {2, 2, 2}, plain.dims());
        assertArrayEquals(plain.data(), zipped.data());
        assertEquals(200, plain.data()[7] & 0xff);
    }

    @Test
    void rejectsWrongMagicTruncationAndTrailingBytesInOneLine() throws IOException {
        Files.write(dir.resolve("magic"), new byte[] {0, 0, 9, 1, 0, 0, 0, 1, 5});
        byte[] ok = idx(new int[] {4}, new byte[] {1, 2, 3, 4});
        Files.write(dir.resolve("short"), java.util.Arrays.copyOf(ok, ok.length - 1));
        Files.write(dir.resolve("long"), java.util.Arrays.copyOf(ok, ok.length + 1));
        for (String name : new String[] {"magic", "short", "long", "absent"}) {
            DataException e = assertThrows(DataException.class, () -> IdxFile.read(dir.resolve(name)));
            assertTrue(e.getMessage().contains(name), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void loadsADatasetFolderWithLabelsAndShapes() throws IOException {
        writeTinyDataset(dir, 12, true);
        ImageSet train = FashionMnist.load(dir, FashionMnist.Split.TRAIN);
        assertEquals(12, train.size());
        assertEquals(5, train.label(5));
        assertEquals(1, train.label(11));
        assertEquals(new ai.djl.ndarray.types.Shape(1, 2, 3), train.imageShape());
    }

    @Test
    void locatesExplicitThenEnvironmentFolders() throws IOException {
        writeTinyDataset(dir, 3, false);
        assertEquals(dir, FashionMnist.locate(dir, Map.of()));
        assertEquals(dir, FashionMnist.locate(null, Map.of(FashionMnist.DATA_DIR_ENV, dir.toString())));
    }

    @Test
    void aFolderWithoutTheFilesIsOneLineNamingTheFolderAndTheWaysToSupplyData() {
        Path empty = dir.resolve("empty");
        DataException e = assertThrows(DataException.class, () -> FashionMnist.locate(empty, Map.of()));
        assertTrue(e.getMessage().contains(empty.toString()));
        DataException env = assertThrows(
                DataException.class,
                () -> FashionMnist.locate(null, Map.of(FashionMnist.DATA_DIR_ENV, empty.toString())));
        assertTrue(env.getMessage().contains(FashionMnist.DATA_DIR_ENV));
        assertFalse(env.getMessage().contains("\n"));
    }

    @Test
    void withNoDataAnywhereTheErrorNamesBothWaysToSupplyIt() {
        DataException e = assertThrows(
                DataException.class, () -> FashionMnist.locate(null, Map.of(), dir.resolve("no-debian-package")));
        assertTrue(e.getMessage().contains("--data-dir"), e.getMessage());
        assertTrue(e.getMessage().contains("dataset-fashion-mnist"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void theEmbeddedSubsetIs8000TrainAnd2000TestImages() {
        assertEquals(8000, FashionMnist.loadEmbedded(FashionMnist.Split.TRAIN).size());
        assertEquals(2000, FashionMnist.loadEmbedded(FashionMnist.Split.TEST).size());
    }
}
