package dev.hkd.experiments.parity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import dev.hkd.api.Distiller;
import dev.hkd.losses.contrast.BankScoring;
import dev.hkd.testkit.parity.Comparison;
import dev.hkd.testkit.parity.ParityCase;
import dev.hkd.testkit.parity.ParityCheck;
import java.nio.file.Path;
import java.util.LinkedHashMap;
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
        Distiller distiller = crd ? BankCase.crd(c, how) : BankCase.hkd(c, how);
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            Map<String, Block> modules = BankCase.prepare(distiller, c, m, crd ? 1 : BankCase.logitClasses(c));
            ParameterStore ps = new ParameterStore(m, false);
            int n = 0;
            for (JsonNode json : c.steps()) {
                BankCase.Step step = BankCase.Step.read(m, json, ++n, !crd, ps);
                String at = step.at();
                ModuleParameters.zeroGradients(modules);
                try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                    NDArray total = distiller.loss(step.distillation()).sum();
                    gc.backward(total);
                    out.put(at + "loss", doubles(total));
                }
                out.put(at + "grad feat_s", doubles(step.featS().getGradient()));
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
