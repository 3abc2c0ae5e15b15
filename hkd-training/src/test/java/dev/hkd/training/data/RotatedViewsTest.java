package dev.hkd.training.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.hkd.training.train.Engines;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** SSKD's four views: the row layout, numpy's rot90, one flip for all four views, a crop per view. */
class RotatedViewsTest {

    /** A 3×3 grey image 1..9, row-major. */
    private static final byte[] IMAGE = {1, 2, 3, 4, 5, 6, 7, 8, 9};

    @Test
    void aQuarterTurnIsCounterClockwiseAsNumpysRot90() {
        // numpy.rot90([[1,2,3],[4,5,6],[7,8,9]]) == [[3,6,9],[2,5,8],[1,4,7]]
        assertArrayEquals(new byte[] {3, 6, 9, 2, 5, 8, 1, 4, 7}, RotatedViews.rotateCounterClockwise(IMAGE, 1, 3));
    }

    @Test
    void withoutAugmentationTheViewsAreTheFourRotations() {
        byte[][] v = new RotatedViews(false, Augmentation.NONE).apply(IMAGE, 1, 3, new SplittableRandom(1));
        assertArrayEquals(IMAGE, v[0]);
        assertArrayEquals(new byte[] {3, 6, 9, 2, 5, 8, 1, 4, 7}, v[1]);
        assertArrayEquals(new byte[] {9, 8, 7, 6, 5, 4, 3, 2, 1}, v[2]);
        assertArrayEquals(new byte[] {7, 4, 1, 8, 5, 2, 9, 6, 3}, v[3]);
    }

    @Test
    void oneFlipDecisionCoversAllFourViews() {
        RotatedViews flipOnly = new RotatedViews(true, Augmentation.NONE);
        SplittableRandom random = new SplittableRandom(3);
        int flipped = 0;
        for (int i = 0; i < 200; i++) {
            byte[][] v = flipOnly.apply(IMAGE, 1, 3, random);
            boolean mirrored = v[0][0] == 3;
            flipped += mirrored ? 1 : 0;
            byte[] expectedBase = mirrored ? new byte[] {3, 2, 1, 6, 5, 4, 9, 8, 7} : IMAGE;
            byte[] r = expectedBase;
            for (int k = 1; k < 4; k++) {
                r = RotatedViews.rotateCounterClockwise(r, 1, 3);
                assertArrayEquals(r, v[k], "view " + k + " is the rotation of the same (flipped or not) image");
            }
        }
        assertTrue(flipped > 60 && flipped < 140, "about half flipped: " + flipped);
    }

    @Test
    void eachViewDrawsItsOwnCrop() {
        byte[] big = new byte[28 * 28];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i % 251 + 1);
        }
        RotatedViews views = RotatedViews.of(new CropFlip(2, true));
        int differentShifts = 0;
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 50; i++) {
            byte[][] v = views.apply(big, 1, 28, random);
            byte[] unshifted0 =
                    RotatedViews.rotateCounterClockwise(RotatedViews.rotateCounterClockwise(v[0], 1, 28), 1, 28);
            // Views 0 and 2 are half-turns of each other only when both drew the same crop offset.
            if (!java.util.Arrays.equals(unshifted0, v[2])) {
                differentShifts++;
            }
        }
        assertTrue(differentShifts > 30, "crops are drawn per view: " + differentShifts);
    }

    @Test
    void theBatchIsLaidOutAsRow4bPlusR() {
        byte[] pixels = new byte[2 * 9];
        System.arraycopy(IMAGE, 0, pixels, 0, 9);
        for (int i = 0; i < 9; i++) {
            pixels[9 + i] = (byte) (10 + i);
        }
        ImageSet set =
                new ImageSet("t", 1, 3, 3, pixels, new int[] {0, 1}, 2, new float[] {0f}, new float[] {1f / 255f});
        try (NDManager m = Engines.training().newBaseManager()) {
            NDArray rows = set.rotatedViews(
                    m, new int[] {1, 0}, new RotatedViews(false, Augmentation.NONE), new SplittableRandom(1));
            assertEquals(new Shape(8, 1, 3, 3), rows.getShape());
            float[] all = rows.toFloatArray();
            assertEquals(10f, all[0], 1e-4); // row 0: sample 1, unrotated
            assertEquals(12f, all[9], 1e-4); // row 1: sample 1 rotated once (top-left = old top-right)
            assertEquals(1f, all[4 * 9], 1e-4); // row 4: sample 0, unrotated
            assertEquals(7f, all[7 * 9], 1e-4); // row 7: sample 0 rotated three times
        }
    }
}
