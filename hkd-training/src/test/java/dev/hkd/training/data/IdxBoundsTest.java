package dev.hkd.training.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an IDX header promises is checked against what the file can hold before the data is
 * allocated: a lying header costs one line, not gigabytes.
 */
class IdxBoundsTest {

    @TempDir
    Path dir;

    private String refused(String name, byte[] content) throws Exception {
        Path f = dir.resolve(name);
        Files.write(f, content);
        DataException e = assertThrows(DataException.class, () -> IdxFile.read(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        return e.getMessage();
    }

    @Test
    void aZeroDimensionOrAnEmptyFileIsRefused() throws Exception {
        assertTrue(refused("zero", IdxFileTest.idx(new int[] {0, 28, 28}, new byte[0]))
                .contains("dimension 0 is 0"));
        assertTrue(refused("zero-inner", IdxFileTest.idx(new int[] {3, 0}, new byte[0]))
                .contains("dimension 1 is 0"));
        assertTrue(refused("empty", new byte[0]).contains("truncated"));
        assertTrue(refused("empty.gz", IdxFileTest.gzip(new byte[0])).contains("truncated"));
        assertTrue(refused("negative", IdxFileTest.idx(new int[] {-5}, new byte[0]))
                .contains("dimension 0 is 4294967291"));
    }

    @Test
    void aSixteenByteHeaderPromisingGigabytesIsRefusedBeforeAllocating() throws Exception {
        // 60000 × 200 × 200 = 2.4 GB promised by a 16-byte file.
        String m = refused("huge", IdxFileTest.idx(new int[] {60000, 200, 200}, new byte[0]));
        assertTrue(m.contains("promises more than"), m);
        // 20000 × 300 × 300 = 1.8 GB: within an array, but the file holds 0 bytes of it.
        m = refused("lying", IdxFileTest.idx(new int[] {20000, 300, 300}, new byte[0]));
        assertTrue(m.contains("promises 1800000000 bytes of data, the file holds 0"), m);
    }

    @Test
    void aGzipCannotPromiseMoreThanDeflateInflatesTo() throws Exception {
        byte[] small = IdxFileTest.gzip(IdxFileTest.idx(new int[] {20000, 300, 300}, new byte[1000]));
        String m = refused("bomb.gz", small);
        assertTrue(m.contains("more than a gzip of " + small.length + " bytes can inflate to"), m);
    }

    @Test
    void aStreamWhoseHeaderLiesCostsOnlyTheBytesPresent() throws Exception {
        // No size known (an embedded resource): the bytes are read as they come, then refused.
        byte[] lying = IdxFileTest.gzip(IdxFileTest.idx(new int[] {20000, 300, 300}, new byte[1000]));
        DataException e = assertThrows(DataException.class, () -> IdxFile.read(new ByteArrayInputStream(lying), "res"));
        assertTrue(e.getMessage().contains("it holds 1000"), e.getMessage());
        IdxFile ok = IdxFile.read(
                new ByteArrayInputStream(IdxFileTest.gzip(IdxFileTest.idx(new int[] {2, 2}, new byte[] {1, 2, 3, 4}))),
                "res");
        assertArrayEquals(new byte[] {1, 2, 3, 4}, ok.data());
    }

    @Test
    void imagesAndLabelsMustAgree() throws Exception {
        IdxFileTest.writeTinyDataset(dir, 12, false);
        Files.write(dir.resolve("train-labels-idx1-ubyte"), IdxFileTest.idx(new int[] {11}, new byte[11]));
        DataException count = assertThrows(DataException.class, () -> FashionMnist.load(dir, FashionMnist.Split.TRAIN));
        assertTrue(count.getMessage().contains("12 images but 11 labels"), count.getMessage());
        byte[] labels = new byte[12];
        labels[3] = 10;
        Files.write(dir.resolve("train-labels-idx1-ubyte"), IdxFileTest.idx(new int[] {12}, labels));
        DataException label = assertThrows(DataException.class, () -> FashionMnist.load(dir, FashionMnist.Split.TRAIN));
        assertTrue(label.getMessage().contains("label 10 of image 3 is not a class"), label.getMessage());
    }
}
