package dev.hkd.experiments.parity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import dev.hkd.graph.HolisticDistiller;
import dev.hkd.graph.KnnGraph;
import dev.hkd.losses.contrast.BankScoring;
import dev.hkd.testkit.parity.AbstractParityCheck;
import dev.hkd.testkit.parity.Comparison;
import dev.hkd.testkit.parity.ParityCase;
import java.util.Map;

/**
 * {@code hkd}: heads and banks loaded from the case's {@code state}; per step the loss, the
 * gradients of the student features and of all four heads, both banks after the write, and the
 * neighbour lists of both graphs. Parameters are not changed between steps, as in the reference run.
 */
public final class HkdParity extends AbstractParityCheck {

    private final BankScoring scoring;

    /** The check as {@code ./hkd parity} runs it: the default {@code bank_scoring: auto}. */
    public HkdParity() {
        this(BankScoring.AUTO);
    }

    /** The check with the banks scoring as {@code scoring} says. */
    public HkdParity(BankScoring scoring) {
        super("hkd");
        this.scoring = scoring;
    }

    @Override
    public void run(ParityCase c, NDManager m, Comparison cmp) {
        HolisticDistiller hkd = BankCase.hkd(c, scoring);
        Map<String, Block> modules = BankCase.prepare(hkd, c, m, BankCase.logitClasses(c));
        ParameterStore ps = new ParameterStore(m, false);
        int n = 0;
        for (JsonNode json : c.steps()) {
            BankCase.Step step = BankCase.Step.read(m, json, ++n, true, ps);
            ModuleParameters.zeroGradients(modules);
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                NDArray total = hkd.loss(step.distillation()).sum();
                gc.backward(total);
                cmp.loss(
                        step.at() + "loss",
                        total.getFloat(),
                        step.expected().path("loss").asDouble());
            }
            step.compareGradients(m, cmp, modules);
            hkd.updateState();
            step.compareBanks(m, cmp, hkd.state());
            compareNeighbours(
                    m,
                    cmp,
                    step.at() + "knn_s",
                    hkd.lastStudentGraph(),
                    step.expected().get("knn_s"));
            compareNeighbours(
                    m,
                    cmp,
                    step.at() + "knn_t",
                    hkd.lastTeacherGraph(),
                    step.expected().get("knn_t"));
        }
    }

    private static void compareNeighbours(NDManager m, Comparison cmp, String what, KnnGraph graph, JsonNode expected) {
        if (expected == null) {
            if (graph != null) {
                cmp.fail(what + ": built a graph where the reference skips it (batch smaller than k)");
            }
            return;
        }
        if (graph == null) {
            cmp.fail(what + ": no graph built");
            return;
        }
        cmp.exact(
                what,
                graph.neighbours().toLongArray(),
                ParityCase.tensor(m, expected, what).toLongArray());
    }
}
