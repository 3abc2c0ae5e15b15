package dev.hkd.losses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

/** SSKD's keep rule and row layout (docs/methods.md#sskd). */
class SskdLossTest {

    @Test
    void theKeepRuleKeepsCorrectRowsAndTheLeastWrongShareOfTheWrongOnes() {
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            long[] rank = {0, 0, 0, 1, 1, 3, 0, 0, 0, 0, 0, 0};
            // W = 3 wrong rows, ⌊0.75·3⌋ = 2 of them kept: the two of rank 1; row 5 (rank 3) is dropped.
            assertArrayEquals(
                    new long[] {0, 1, 2, 3, 4, 6, 7, 8, 9, 10, 11},
                    SskdLoss.keep(m.create(rank), 0.75).toLongArray());
            assertArrayEquals(
                    new long[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11},
                    SskdLoss.keep(m.create(rank), 1.0).toLongArray());
        }
    }

    @Test
    void tiesAtTheCutGoToTheLowerRowNumber() {
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            long[] rank = {2, 0, 2, 2, 0, 0};
            // W = 3, ⌊0.75·3⌋ = 2 of the three rank-2 rows survive: rows 0 and 2.
            assertArrayEquals(
                    new long[] {0, 1, 2, 4, 5},
                    SskdLoss.keep(m.create(rank), 0.75).toLongArray());
        }
    }

    @Test
    void rowFourBIsTheUnrotatedViewOfImageB() {
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            assertArrayEquals(new long[] {0, 4, 8}, SskdLoss.rows(m, 3, true).toLongArray());
            assertArrayEquals(
                    new long[] {1, 2, 3, 5, 6, 7, 9, 10, 11},
                    SskdLoss.rows(m, 3, false).toLongArray());
            assertArrayEquals(
                    new long[] {0, 0, 0, 1, 1, 1, 2, 2, 2},
                    SskdLoss.owners(m, 3).toLongArray());
        }
    }
}
