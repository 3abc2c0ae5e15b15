package dev.hkd.experiments.parity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import dev.hkd.baselines.crd.CrdDistiller;
import dev.hkd.losses.contrast.BankScoring;
import dev.hkd.testkit.parity.AbstractParityCheck;
import dev.hkd.testkit.parity.Comparison;
import dev.hkd.testkit.parity.ParityCase;
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
        CrdDistiller crd = BankCase.crd(c, scoring);
        Map<String, Block> modules = BankCase.prepare(crd, c, m, 1);
        ParameterStore ps = new ParameterStore(m, false);
        int n = 0;
        for (JsonNode json : c.steps()) {
            BankCase.Step step = BankCase.Step.read(m, json, ++n, false, ps);
            ModuleParameters.zeroGradients(modules);
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                NDArray total = crd.loss(step.distillation()).sum();
                gc.backward(total);
                cmp.loss(
                        step.at() + "loss",
                        total.getFloat(),
                        step.expected().path("loss").asDouble());
            }
            crd.updateState();
            float[] z = crd.normalizers().toFloatArray();
            cmp.loss(
                    step.at() + "normalizer_z_s",
                    z[0],
                    step.expected().path("normalizer_z_s").asDouble());
            cmp.loss(
                    step.at() + "normalizer_z_t",
                    z[1],
                    step.expected().path("normalizer_z_t").asDouble());
            step.compareGradients(m, cmp, modules);
            step.compareBanks(m, cmp, crd.state());
        }
    }
}
