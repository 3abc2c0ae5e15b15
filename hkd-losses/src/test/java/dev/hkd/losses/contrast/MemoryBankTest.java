package dev.hkd.losses.contrast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.hkd.api.OptionException;
import org.junit.jupiter.api.Test;

class MemoryBankTest {

    private static final int N = 300;
    private static final int D = 16;
    private static final int B = 12;
    private static final int K = 41;

    /** Scores of two anchor sets, and their gradients under a fixed random weighting of the scores. */
    private record Scored(double[][] scores, double[][] gradients) {}

    private static Scored score(NDManager m, BankScoring how, DataType type) {
        Engine.getEngine("PyTorch").setRandomSeed(11);
        MemoryBank bank = MemoryBank.of(m.randomUniform(-1, 1, new Shape(N, D)).toType(type, false));
        NDArray indices = m.randomInteger(0, N, new Shape(B, K), DataType.INT64);
        NDArray first = m.randomNormal(new Shape(B, D)).toType(type, false);
        NDArray second = m.randomNormal(new Shape(B, D)).toType(type, false);
        NDArray weights = m.randomNormal(new Shape(B, K)).toType(type, false);
        first.setRequiresGradient(true);
        second.setRequiresGradient(true);
        NDList scores;
        try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
            scores = bank.scores(new NDList(first, second), indices, how);
            gc.backward(scores.get(0)
                    .mul(weights)
                    .sum()
                    .add(scores.get(1).mul(weights).square().sum()));
        }
        return new Scored(
                new double[][] {doubles(scores.get(0)), doubles(scores.get(1))},
                new double[][] {doubles(first.getGradient()), doubles(second.getGradient())});
    }

    private static double[] doubles(NDArray a) {
        return a.toType(DataType.FLOAT64, false).toDoubleArray();
    }

    private static double maxAbsDiff(double[] a, double[] b) {
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        return worst;
    }

    private static double maxAbs(double[] a) {
        double worst = 0;
        for (double v : a) {
            worst = Math.max(worst, Math.abs(v));
        }
        return worst;
    }

    @Test
    void scoresAreEachAnchorsDotProductWithItsOwnRows() {
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            Engine.getEngine("PyTorch").setRandomSeed(3);
            NDArray rows = m.randomUniform(-1, 1, new Shape(N, D), DataType.FLOAT64);
            NDArray indices = m.randomInteger(0, N, new Shape(B, K), DataType.INT64);
            NDArray anchors = m.randomNormal(new Shape(B, D), DataType.FLOAT64);
            double[] bank = rows.toDoubleArray();
            long[] idx = indices.toLongArray();
            double[] a = anchors.toDoubleArray();
            for (BankScoring how : new BankScoring[] {BankScoring.WHOLE_BANK, BankScoring.GATHERED}) {
                double[] ours =
                        MemoryBank.of(rows).scores(anchors, indices, how).toDoubleArray();
                for (int i = 0; i < B; i++) {
                    for (int j = 0; j < K; j++) {
                        double dot = 0;
                        for (int k = 0; k < D; k++) {
                            dot += bank[(int) idx[i * K + j] * D + k] * a[i * D + k];
                        }
                        assertEquals(dot, ours[i * K + j], 1e-12, how + " score [" + i + ", " + j + "]");
                    }
                }
            }
        }
    }

    @Test
    void bothFormulationsGiveTheSameScoresAndGradientsInFloat64() {
        assertFormulationsAgree(DataType.FLOAT64, 1e-13);
    }

    @Test
    void bothFormulationsGiveTheSameScoresAndGradientsInFloat32UpToRounding() {
        // A dot product of d terms summed in another order: float32 rounding, a few ulps of the largest value.
        assertFormulationsAgree(DataType.FLOAT32, 1e-6);
    }

    /** Scores and gradients of both formulations within {@code relative} of the largest value. */
    private static void assertFormulationsAgree(DataType type, double relative) {
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            Scored whole = score(m, BankScoring.WHOLE_BANK, type);
            Scored gathered = score(m, BankScoring.GATHERED, type);
            for (int s = 0; s < 2; s++) {
                assertTrue(
                        maxAbsDiff(whole.scores()[s], gathered.scores()[s]) <= relative * maxAbs(whole.scores()[s]),
                        "scores " + s);
                assertTrue(
                        maxAbsDiff(whole.gradients()[s], gathered.gradients()[s])
                                <= relative * maxAbs(whole.gradients()[s]),
                        "gradient " + s);
            }
        }
    }

    @Test
    void theBankTakesNoGradientInEitherFormulation() {
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            for (BankScoring how : new BankScoring[] {BankScoring.WHOLE_BANK, BankScoring.GATHERED}) {
                MemoryBank bank = MemoryBank.uniform(m, N, D);
                NDArray anchors = m.randomNormal(new Shape(B, D));
                anchors.setRequiresGradient(true);
                try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                    gc.backward(bank.scores(anchors, m.randomInteger(0, N, new Shape(B, K), DataType.INT64), how)
                            .sum());
                }
                assertTrue(!bank.array().hasGradient(), how + ": the bank must not take gradients");
            }
        }
    }

    @Test
    void autoKeepsTheWholeBankWhereKIsAGoodPartOfNAndGathersAtImageNetScale() {
        // CIFAR-100 and full Fashion-MNIST (K = 16 384, d = 128), CRD's one anchor set per bank and HKD's two.
        for (int sets = 1; sets <= 2; sets++) {
            assertEquals(BankScoring.WHOLE_BANK, BankScoring.AUTO.resolve(64, 16_385, 50_000, 128, sets, 4));
            assertEquals(BankScoring.WHOLE_BANK, BankScoring.AUTO.resolve(256, 16_385, 50_000, 128, sets, 4));
            assertEquals(BankScoring.WHOLE_BANK, BankScoring.AUTO.resolve(64, 16_384, 60_000, 128, sets, 4));
            // reproducibility/fashion-mnist: K = 4 096 on 8 000 (the subset) and 10 000 (Table 1) images.
            assertEquals(BankScoring.WHOLE_BANK, BankScoring.AUTO.resolve(64, 4_097, 8_000, 128, sets, 4));
            assertEquals(BankScoring.WHOLE_BANK, BankScoring.AUTO.resolve(64, 4_096, 10_000, 128, sets, 4));
            // ImageNet: N = 1 281 167.
            assertEquals(BankScoring.GATHERED, BankScoring.AUTO.resolve(256, 16_385, 1_281_167, 128, sets, 4));
            assertEquals(BankScoring.GATHERED, BankScoring.AUTO.resolve(64, 16_385, 1_281_167, 128, sets, 4));
        }
        // The parity cases' sizes (crd: B 8, K+1 17, N 200, d 32; hkd: K 16; hkd-small-batch: B 6, K 8, N 50, d 16).
        assertEquals(BankScoring.WHOLE_BANK, BankScoring.AUTO.resolve(8, 17, 200, 32, 1, 4));
        assertEquals(BankScoring.WHOLE_BANK, BankScoring.AUTO.resolve(8, 16, 200, 32, 2, 4));
        assertEquals(BankScoring.WHOLE_BANK, BankScoring.AUTO.resolve(6, 8, 50, 16, 1, 4));
        // A forced formulation is kept whatever the sizes.
        assertEquals(BankScoring.GATHERED, BankScoring.GATHERED.resolve(64, 16_385, 50_000, 128, 1, 4));
        assertEquals(BankScoring.WHOLE_BANK, BankScoring.WHOLE_BANK.resolve(256, 16_385, 1_281_167, 128, 1, 4));
    }

    @Test
    void theCostModelCountsTheProductsAndTheTraffic() {
        // Whole bank, one set: 4·B·N·d flops; traffic 4·(2Nd + 3BN + 3Bc) bytes; B·N held.
        BankScoringCost whole = BankScoringCost.wholeBank(2, 3, 10, 4, 1, 4);
        assertEquals(4.0 * 2 * 10 * 4, whole.flops());
        assertEquals(4.0 * (2 * 10 * 4 + 3 * 2 * 10 + 3 * 2 * 3), whole.bytes());
        assertEquals(4.0 * 2 * 10, whole.heldBytes());
        // Gathered, two sets sharing one gather: 4·a·B·c·d flops; traffic 4·(4Bcd + 2aBc); B·c·d held.
        BankScoringCost gathered = BankScoringCost.gathered(2, 3, 10, 4, 2, 4);
        assertEquals(4.0 * 2 * 2 * 3 * 4, gathered.flops());
        assertEquals(4.0 * (4 * 2 * 3 * 4 + 2 * 2 * 2 * 3), gathered.bytes());
        assertEquals(4.0 * 2 * 3 * 4, gathered.heldBytes());
    }

    @Test
    void theOptionNamesItsValues() {
        assertEquals(BankScoring.AUTO, BankScoring.parse("auto"));
        assertEquals(BankScoring.WHOLE_BANK, BankScoring.parse("whole-bank"));
        assertEquals(BankScoring.GATHERED, BankScoring.parse("gathered"));
        OptionException e = assertThrows(OptionException.class, () -> BankScoring.parse("WHOLE_BANK"));
        assertEquals("bank_scoring", e.key());
        assertEquals("unknown 'WHOLE_BANK'; valid: auto, whole-bank, gathered", e.detail());
    }

    @Test
    void theMomentumWriteIsTheSameWhicheverFormulationScored() {
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            float[][] after = new float[2][];
            BankScoring[] both = {BankScoring.WHOLE_BANK, BankScoring.GATHERED};
            for (int f = 0; f < 2; f++) {
                Engine.getEngine("PyTorch").setRandomSeed(21);
                MemoryBank bank = MemoryBank.uniform(m, N, D);
                NDArray anchors = m.randomNormal(new Shape(B, D));
                anchors.setRequiresGradient(true);
                NDArray indices = m.randomInteger(0, N, new Shape(B, K), DataType.INT64);
                try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                    gc.backward(bank.scores(anchors, indices, both[f]).sum());
                }
                bank.update(m.arange(0, B, 1, DataType.INT64), anchors, 0.5f);
                after[f] = bank.array().toFloatArray();
            }
            assertArrayEquals(after[0], after[1]);
        }
    }
}
