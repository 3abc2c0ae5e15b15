package dev.hkd.experiments.parity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import dev.hkd.api.DistillationStep;
import dev.hkd.api.DistillerSetup;
import dev.hkd.api.LossTerms;
import dev.hkd.api.NetworkOutput;
import dev.hkd.api.StepBatch;
import dev.hkd.baselines.crd.CrdConfig;
import dev.hkd.baselines.crd.CrdDistiller;
import dev.hkd.losses.contrast.BankScoring;
import dev.hkd.testkit.parity.AbstractParityCheck;
import dev.hkd.testkit.parity.Comparison;
import dev.hkd.testkit.parity.ParityCase;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * {@code crd}: heads and banks from the case's {@code state}; per step the loss, the normalisers
 * fixed at the first step, the gradients of the student features and both heads, and both banks
 * after the write.
 */
public final class CrdParity extends AbstractParityCheck {

    private final BankScoring scoring;

    /** The check as {@code ./hkd parity} runs it: the default {@code bank_scoring: auto}. */
    public CrdParity() {
        this(BankScoring.AUTO);
    }

    /** The check with the banks scoring as {@code scoring} says. */
    public CrdParity(BankScoring scoring) {
        super("crd");
        this.scoring = scoring;
    }

    @Override
    public void run(ParityCase c, NDManager m, Comparison cmp) {
        JsonNode state = c.root().path("state");
        CrdDistiller crd = new CrdDistiller(new CrdConfig(
                (int) c.param("feat_dim"),
                (int) c.param("nce_k"),
                c.param("nce_t"),
                c.param("nce_m"),
                "exact",
                scoring.optionValue()));
        NDArray embedS = ParityCase.tensor(m, state, "embed_s.weight", "state");
        NDArray embedT = ParityCase.tensor(m, state, "embed_t.weight", "state");
        crd.prepare(new DistillerSetup(
                m,
                List.of(new Shape(embedS.getShape().get(1))),
                List.of(new Shape(embedT.getShape().get(1))),
                1,
                (int) c.param("n_data")));
        Map<String, Block> modules = crd.trainableModules();
        ModuleParameters.loadState(crd, state, m);
        ParameterStore ps = new ParameterStore(m, false);
        int n = 0;
        for (JsonNode step : c.steps()) {
            String at = "step " + ++n + " ";
            JsonNode in = step.path("inputs");
            JsonNode expected = step.path("expected");
            NDArray featS = ParityCase.tensor(m, in, "feat_s", "inputs");
            featS.setRequiresGradient(true);
            NDArray featT = ParityCase.tensor(m, in, "feat_t", "inputs");
            NDArray index = ParityCase.tensor(m, in, "index", "inputs");
            NDArray contrast = ParityCase.tensor(m, in, "contrast_index", "inputs");
            StepBatch batch = new StepBatch(m.zeros(index.getShape(), DataType.INT64), index, contrast, 0);
            NDArray noLogits = m.zeros(new Shape(index.getShape().get(0), 1));
            ModuleParameters.zeroGradients(modules);
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                LossTerms terms = crd.loss(new DistillationStep(
                        new NetworkOutput(noLogits, List.of(featS), List.of()),
                        new NetworkOutput(noLogits, List.of(featT), List.of()),
                        batch,
                        ps,
                        true));
                NDArray total = terms.sum();
                gc.backward(total);
                cmp.loss(at + "loss", total.getFloat(), expected.path("loss").asDouble());
            }
            crd.updateState();
            float[] z = crd.normalizers().toFloatArray();
            cmp.loss(
                    at + "normalizer_z_s", z[0], expected.path("normalizer_z_s").asDouble());
            cmp.loss(
                    at + "normalizer_z_t", z[1], expected.path("normalizer_z_t").asDouble());
            JsonNode grads = expected.path("grad");
            for (Iterator<String> it = grads.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                NDArray reference = ParityCase.tensor(m, grads, name, "expected.grad");
                NDArray ours = name.equals("feat_s")
                        ? featS.getGradient()
                        : ModuleParameters.gradient(
                                ModuleParameters.find(modules, name).getArray());
                cmp.gradient(at + "grad " + name, ours, reference);
            }
            cmp.absolute(
                    at + "memory_s after",
                    crd.state().get("memory_s"),
                    ParityCase.tensor(m, expected, "memory_s_after", "expected"),
                    Comparison.MEMORY_ABSOLUTE);
            cmp.absolute(
                    at + "memory_t after",
                    crd.state().get("memory_t"),
                    ParityCase.tensor(m, expected, "memory_t_after", "expected"),
                    Comparison.MEMORY_ABSOLUTE);
        }
    }
}
