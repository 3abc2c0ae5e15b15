package dev.hkd.experiments.parity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
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
import dev.hkd.testkit.parity.ParityCheck;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * CRD and HKD on their reference cases with each {@code bank_scoring}: both formulations pass the
 * case, agree with each other on the loss and every gradient up to float32 rounding, write the
 * banks identically, and {@code auto} is the whole-bank product at the cases' sizes, bit for bit.
 */
class BankScoringParityTest {

    /** float32 rounding of dot products summed in another order, through the losses and backward. */
    static final double AGREEMENT_RELATIVE = 1e-5;

    private static Path casePath(String file) {
        return ReferenceParityTest.casesDir().resolve(file);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"crd.json", "hkd.json", "hkd-small-batch.json"})
    void eachFormulationPassesTheReferenceCase(String file) {
        ParityCase c = ParityCase.read(casePath(file));
        for (BankScoring how : BankScoring.values()) {
            Comparison cmp = new Comparison();
            ParityCheck check = c.method().equals("crd") ? new CrdParity(how) : new HkdParity(how);
            try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
                check.run(c, m, cmp);
            }
            assertTrue(cmp.passed(), file + " with bank_scoring " + how.optionValue() + ": " + cmp.failures());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"crd.json", "hkd.json", "hkd-small-batch.json"})
    void theFormulationsAgreeAndAutoIsTheWholeBankAtTheCaseSize(String file) {
        ParityCase c = ParityCase.read(casePath(file));
        Map<String, double[]> whole = record(c, BankScoring.WHOLE_BANK);
        Map<String, double[]> gathered = record(c, BankScoring.GATHERED);
        Map<String, double[]> auto = record(c, BankScoring.AUTO);
        assertEquals(whole.keySet(), gathered.keySet());
        for (Map.Entry<String, double[]> e : whole.entrySet()) {
            String what = e.getKey();
            assertArrayEquals(
                    e.getValue(),
                    auto.get(what),
                    file + " " + what + ": auto must be the whole-bank product here, bit for bit");
            if (what.contains("memory_")) {
                // The writes read the embeddings, never the scores.
                assertArrayEquals(e.getValue(), gathered.get(what), file + " " + what);
            } else {
                double scale = 0;
                double worst = 0;
                for (int i = 0; i < e.getValue().length; i++) {
                    scale = Math.max(scale, Math.abs(e.getValue()[i]));
                    worst = Math.max(worst, Math.abs(e.getValue()[i] - gathered.get(what)[i]));
                }
                assertTrue(
                        worst <= AGREEMENT_RELATIVE * scale,
                        file + " " + what + ": whole-bank and gathered differ by " + worst + ", more than "
                                + AGREEMENT_RELATIVE + " x " + scale);
            }
        }
    }

    /** Per step: the loss, the student features' and every head's gradient, both banks after the write. */
    private static Map<String, double[]> record(ParityCase c, BankScoring how) {
        Map<String, double[]> out = new LinkedHashMap<>();
        boolean crd = c.method().equals("crd");
        Distiller distiller = crd
                ? new CrdDistiller(new CrdConfig(
                        (int) c.param("feat_dim"),
                        (int) c.param("nce_k"),
                        c.param("nce_t"),
                        c.param("nce_m"),
                        "exact",
                        how.optionValue()))
                : new HolisticDistiller(new HkdConfig(
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
                        how.optionValue()));
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            JsonNode state = c.root().path("state");
            NDArray embedS = ParityCase.tensor(m, state, "embed_s.weight", "state");
            NDArray embedT = ParityCase.tensor(m, state, "embed_t.weight", "state");
            JsonNode first = c.steps().get(0).path("inputs");
            int classes =
                    crd ? 1 : (int) first.path("logits_s").path("shape").get(1).asLong();
            distiller.prepare(new DistillerSetup(
                    m,
                    List.of(new Shape(embedS.getShape().get(1))),
                    List.of(new Shape(embedT.getShape().get(1))),
                    classes,
                    (int) c.param("n_data")));
            Map<String, Block> modules = distiller.trainableModules();
            ModuleParameters.loadState(distiller, state, m);
            ParameterStore ps = new ParameterStore(m, false);
            int n = 0;
            for (JsonNode step : c.steps()) {
                String at = "step " + ++n + " ";
                JsonNode in = step.path("inputs");
                NDArray featS = ParityCase.tensor(m, in, "feat_s", "inputs");
                featS.setRequiresGradient(true);
                NDArray featT = ParityCase.tensor(m, in, "feat_t", "inputs");
                NDArray index = ParityCase.tensor(m, in, "index", "inputs");
                NDArray contrast = ParityCase.tensor(m, in, "contrast_index", "inputs");
                NDArray logitsS = crd
                        ? m.zeros(new Shape(index.getShape().get(0), 1))
                        : ParityCase.tensor(m, in, "logits_s", "inputs");
                NDArray logitsT = crd
                        ? m.zeros(new Shape(index.getShape().get(0), 1))
                        : ParityCase.tensor(m, in, "logits_t", "inputs");
                StepBatch batch = new StepBatch(m.zeros(index.getShape(), DataType.INT64), index, contrast, 0);
                ModuleParameters.zeroGradients(modules);
                try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                    NDArray total = distiller
                            .loss(new DistillationStep(
                                    new NetworkOutput(logitsS, List.of(featS), List.of()),
                                    new NetworkOutput(logitsT, List.of(featT), List.of()),
                                    batch,
                                    ps,
                                    true))
                            .sum();
                    gc.backward(total);
                    out.put(at + "loss", doubles(total));
                }
                out.put(at + "grad feat_s", doubles(featS.getGradient()));
                for (Map.Entry<String, Block> module : modules.entrySet()) {
                    for (var p : module.getValue().getParameters()) {
                        out.put(
                                at + "grad " + module.getKey() + "." + p.getKey(),
                                doubles(ModuleParameters.gradient(p.getValue().getArray())));
                    }
                }
                distiller.updateState();
                for (Map.Entry<String, NDArray> s : distiller.state().entrySet()) {
                    out.put(at + s.getKey(), doubles(s.getValue()));
                }
            }
        }
        return out;
    }

    private static double[] doubles(NDArray a) {
        return a.toType(DataType.FLOAT64, false).toDoubleArray();
    }
}
