package dev.hkd.experiments.parity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import dev.hkd.api.DistillationStep;
import dev.hkd.api.Distiller;
import dev.hkd.api.DistillerSetup;
import dev.hkd.api.NetworkOutput;
import dev.hkd.api.StepBatch;
import dev.hkd.baselines.crd.CrdConfig;
import dev.hkd.baselines.crd.CrdDistiller;
import dev.hkd.graph.HkdConfig;
import dev.hkd.graph.HolisticDistiller;
import dev.hkd.losses.contrast.BankScoring;
import dev.hkd.testkit.parity.Comparison;
import dev.hkd.testkit.parity.ParityCase;
import java.util.List;
import java.util.Map;

/**
 * What the cases of the two memory-bank methods, CRD and HKD, share: the embedding heads and both
 * banks in {@code state}, and per step the features, the sample and contrast indices (HKD's also
 * the logits), the loss, the gradients and the banks after the write.
 */
final class BankCase {

    private BankCase() {}

    /** CRD as the case configures it, its banks scored as {@code scoring} says. */
    static CrdDistiller crd(ParityCase c, BankScoring scoring) {
        return new CrdDistiller(new CrdConfig(
                (int) c.param("feat_dim"),
                (int) c.param("nce_k"),
                c.param("nce_t"),
                c.param("nce_m"),
                "exact",
                scoring.optionValue()));
    }

    /** HKD as the case configures it (TAG graphs on logits, the reference's smoothing), its banks scored as {@code scoring} says. */
    static HolisticDistiller hkd(ParityCase c, BankScoring scoring) {
        return new HolisticDistiller(new HkdConfig(
                (int) c.param("feat_dim"),
                (int) c.param("nce_k"),
                (int) c.param("knn"),
                1,
                "tag",
                "logits",
                c.param("temperature"),
                c.param("memory_momentum"),
                c.param("smooth_momentum"),
                "reference",
                scoring.optionValue()));
    }

    /**
     * Prepares {@code distiller} for the heads' shapes in the case's {@code state} and loads the heads
     * and banks from it; the trainable modules.
     */
    static Map<String, Block> prepare(Distiller distiller, ParityCase c, NDManager m, int numClasses) {
        JsonNode state = c.root().path("state");
        NDArray embedS = ParityCase.tensor(m, state, "embed_s.weight", "state");
        NDArray embedT = ParityCase.tensor(m, state, "embed_t.weight", "state");
        distiller.prepare(new DistillerSetup(
                m,
                List.of(new Shape(embedS.getShape().get(1))),
                List.of(new Shape(embedT.getShape().get(1))),
                numClasses,
                (int) c.param("n_data")));
        ModuleParameters.loadState(distiller, state, m);
        return distiller.trainableModules();
    }

    /** The classes of HKD's case: the width of its first step's student logits. */
    static int logitClasses(ParityCase c) {
        return (int) c.steps()
                .get(0)
                .path("inputs")
                .path("logits_s")
                .path("shape")
                .get(1)
                .asLong();
    }

    /**
     * One step of a case: {@code at} names it in failures; the student features record their gradient.
     * Without logits in the case (CRD's), both networks give one zero logit per sample.
     */
    record Step(String at, JsonNode expected, NDArray featS, DistillationStep distillation) {

        static Step read(NDManager m, JsonNode step, int number, boolean withLogits, ParameterStore ps) {
            JsonNode in = step.path("inputs");
            NDArray featS = ParityCase.tensor(m, in, "feat_s", "inputs");
            featS.setRequiresGradient(true);
            NDArray featT = ParityCase.tensor(m, in, "feat_t", "inputs");
            NDArray index = ParityCase.tensor(m, in, "index", "inputs");
            NDArray contrast = ParityCase.tensor(m, in, "contrast_index", "inputs");
            NDArray noLogits =
                    withLogits ? null : m.zeros(new Shape(index.getShape().get(0), 1));
            NDArray logitsS = withLogits ? ParityCase.tensor(m, in, "logits_s", "inputs") : noLogits;
            NDArray logitsT = withLogits ? ParityCase.tensor(m, in, "logits_t", "inputs") : noLogits;
            StepBatch batch = new StepBatch(m.zeros(index.getShape(), DataType.INT64), index, contrast, 0);
            DistillationStep distillation = new DistillationStep(
                    new NetworkOutput(logitsS, List.of(featS), List.of()),
                    new NetworkOutput(logitsT, List.of(featT), List.of()),
                    batch,
                    ps,
                    true);
            return new Step("step " + number + " ", step.path("expected"), featS, distillation);
        }

        /** Compares the gradient of every tensor the case lists under {@code expected.grad}: the student features' and the heads'. */
        void compareGradients(NDManager m, Comparison cmp, Map<String, Block> modules) {
            ModuleParameters.compareGradients(
                    m, cmp, at, expected.path("grad"), featS, name -> ModuleParameters.find(modules, name));
        }

        /** Compares both banks after the step's write. */
        void compareBanks(NDManager m, Comparison cmp, Map<String, NDArray> state) {
            for (String bank : List.of("memory_s", "memory_t")) {
                cmp.absolute(
                        at + bank + " after",
                        state.get(bank),
                        ParityCase.tensor(m, expected, bank + "_after", "expected"),
                        Comparison.MEMORY_ABSOLUTE);
            }
        }
    }
}
