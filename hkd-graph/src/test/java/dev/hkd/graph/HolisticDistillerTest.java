package dev.hkd.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.hkd.api.DistillationStep;
import dev.hkd.api.DistillerSetup;
import dev.hkd.api.LossTerms;
import dev.hkd.api.NetworkOutput;
import dev.hkd.api.OptionException;
import dev.hkd.api.StepBatch;
import java.util.List;
import org.junit.jupiter.api.Test;

class HolisticDistillerTest {

    private static final int N = 40;
    private static final int DS = 12;
    private static final int DT = 20;

    private static HolisticDistiller distiller(NDManager m, String negatives) {
        Engine.getEngine("PyTorch").setRandomSeed(5);
        HolisticDistiller hkd =
                new HolisticDistiller(new HkdConfig(16, 6, 8, 1, "tag", "logits", 0.07, 0.9, 0.75, negatives, "auto"));
        hkd.prepare(new DistillerSetup(m, List.of(new Shape(DS)), List.of(new Shape(DT)), 5, N));
        return hkd;
    }

    /** One step on a batch of {@code b}; the teacher's features come out of a trainable "backbone". */
    private static LossTerms step(NDManager m, HolisticDistiller hkd, int b, NDArray teacherBackbone) {
        Engine.getEngine("PyTorch").setRandomSeed(9);
        NDArray featS = m.randomNormal(new Shape(b, DS));
        featS.setRequiresGradient(true);
        NDArray input = m.randomNormal(new Shape(b, 3));
        long[] idx = new long[b];
        long[] neg = new long[b * 6];
        for (int i = 0; i < b; i++) {
            idx[i] = i;
            for (int j = 0; j < 6; j++) {
                neg[i * 6 + j] = (i + 1 + j * 3) % N;
            }
        }
        NDArray logitsS = m.randomNormal(new Shape(b, 5));
        NDArray logitsT = m.randomNormal(new Shape(b, 5));
        StepBatch batch =
                new StepBatch(m.zeros(new Shape(b), DataType.INT64), m.create(idx), m.create(neg, new Shape(b, 6)), 0);
        LossTerms terms;
        try (GradientCollector gc = m.getEngine().newGradientCollector()) {
            NDArray featT = input.matMul(teacherBackbone);
            terms = hkd.loss(new DistillationStep(
                    new NetworkOutput(logitsS, List.of(featS), List.of()),
                    new NetworkOutput(logitsT, List.of(featT), List.of()),
                    batch,
                    new ParameterStore(m, false),
                    true));
            gc.backward(terms.sum());
        }
        assertTrue(featS.getGradient().abs().sum().getFloat() > 0, "the student must get gradients");
        hkd.updateState();
        return terms;
    }

    @Test
    void theTeacherBackboneAndTheMemoryBanksGetNoGradient() {
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            HolisticDistiller hkd = distiller(m, "reference");
            NDArray backbone = m.randomNormal(new Shape(3, DT));
            backbone.setRequiresGradient(true);
            step(m, hkd, 10, backbone);
            assertEquals(0f, backbone.getGradient().abs().sum().getFloat());
            for (NDArray bank : hkd.state().values()) {
                assertFalse(bank.hasGradient(), "a memory bank must not take gradients");
            }
            // The teacher-side heads do learn (docs/methods.md#hkd).
            NDArray embedT = hkd.trainableModules()
                    .get("embed_t")
                    .getParameters()
                    .get(0)
                    .getValue()
                    .getArray();
            assertTrue(embedT.getGradient().abs().sum().getFloat() > 0);
        }
    }

    @Test
    void aBatchSmallerThanKSkipsTheGraphAndLeavesMemoryUntouched() {
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            HolisticDistiller hkd = distiller(m, "reference");
            float[] before = hkd.state().get("memory_s").toFloatArray();
            LossTerms terms = step(m, hkd, 7, m.randomNormal(new Shape(3, DT)));
            assertEquals(List.of("ind"), List.copyOf(terms.terms().keySet()));
            assertArrayEquals(before, hkd.state().get("memory_s").toFloatArray());
        }
    }

    @Test
    void aFullBatchWritesTheBatchRowsOnlyAsUnitVectors() {
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            HolisticDistiller hkd = distiller(m, "reference");
            float[] before = hkd.state().get("memory_t").toFloatArray();
            LossTerms terms = step(m, hkd, 10, m.randomNormal(new Shape(3, DT)));
            assertEquals(List.of("ind", "graph"), List.copyOf(terms.terms().keySet()));
            NDArray after = hkd.state().get("memory_t");
            float[] a = after.toFloatArray();
            for (int i = 0; i < 10 * 16; i++) {
                assertNotEquals(before[i], a[i]);
            }
            assertArrayEquals(
                    java.util.Arrays.copyOfRange(before, 160, before.length),
                    java.util.Arrays.copyOfRange(a, 160, a.length));
            float[] norms = after.get("0:10").square().sum(new int[] {1}).toFloatArray();
            for (float n : norms) {
                assertEquals(1f, n, 1e-5f);
            }
        }
    }

    @Test
    void runsAtCifarScaleWithoutGatheringNegativeRows() {
        // N = 50 000 rows of d = 128 per bank, K = 16 384 negatives, B = 64: the scores come from
        // one B×N product per bank, so nothing of size B×K×d (512 MiB) is ever made.
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            HolisticDistiller hkd = new HolisticDistiller(HkdConfig.reference());
            hkd.prepare(new DistillerSetup(m, List.of(new Shape(256)), List.of(new Shape(256)), 100, 50_000));
            Engine.getEngine("PyTorch").setRandomSeed(3);
            int b = 64;
            NDArray idx = m.arange(0, b, 1, DataType.INT64);
            NDArray neg = m.randomInteger(b, 50_000, new Shape(b, 16_384), DataType.INT64);
            NDArray featS = m.randomNormal(new Shape(b, 256));
            featS.setRequiresGradient(true);
            StepBatch batch = new StepBatch(m.zeros(new Shape(b), DataType.INT64), idx, neg, 0);
            float loss;
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                LossTerms terms = hkd.loss(new DistillationStep(
                        new NetworkOutput(m.randomNormal(new Shape(b, 100)), List.of(featS), List.of()),
                        new NetworkOutput(
                                m.randomNormal(new Shape(b, 100)),
                                List.of(m.randomNormal(new Shape(b, 256))),
                                List.of()),
                        batch,
                        new ParameterStore(m, false),
                        true));
                loss = terms.sum().getFloat();
                gc.backward(terms.sum());
            }
            hkd.updateState();
            // At init each of the four CE terms (docs/methods.md#hkd) is about log(K+1) + σ²/2 ≈ 10.4.
            assertTrue(loss > 4 * 9.7 && loss < 4 * 11.5, "loss at init " + loss);
            assertEquals(new Shape(50_000, 128), hkd.state().get("memory_s").getShape());
        }
    }

    @Test
    void anUnknownBankScoringIsAnOptionErrorNamingTheKey() {
        HkdConfig r = HkdConfig.reference();
        HkdConfig bad = new HkdConfig(
                r.featDim(),
                r.nceK(),
                r.knn(),
                r.hops(),
                r.gnn(),
                r.graphSource(),
                r.temperature(),
                r.memoryMomentum(),
                r.smoothMomentum(),
                r.negatives(),
                "whole_bank");
        OptionException e = assertThrows(OptionException.class, bad::validate);
        assertEquals("bank_scoring", e.key());
        assertEquals("unknown 'whole_bank'; valid: auto, whole-bank, gathered", e.detail());
    }

    @Test
    void crossNegativesAreANamedDifferentLoss() {
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            NDArray backbone = m.randomNormal(new Shape(3, DT));
            float reference =
                    step(m, distiller(m, "reference"), 10, backbone).sum().getFloat();
            float cross = step(m, distiller(m, "cross"), 10, backbone).sum().getFloat();
            assertNotEquals(reference, cross);
        }
    }
}
