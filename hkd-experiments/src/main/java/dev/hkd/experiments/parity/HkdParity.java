package dev.hkd.experiments.parity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
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
import dev.hkd.graph.HkdConfig;
import dev.hkd.graph.HolisticDistiller;
import dev.hkd.graph.KnnGraph;
import dev.hkd.losses.contrast.BankScoring;
import dev.hkd.testkit.parity.AbstractParityCheck;
import dev.hkd.testkit.parity.Comparison;
import dev.hkd.testkit.parity.ParityCase;
import java.util.Iterator;
import java.util.List;
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
        JsonNode state = c.root().path("state");
        HkdConfig config = new HkdConfig(
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
                scoring.optionValue());
        HolisticDistiller hkd = new HolisticDistiller(config);
        NDArray embedS = ParityCase.tensor(m, state, "embed_s.weight", "state");
        NDArray embedT = ParityCase.tensor(m, state, "embed_t.weight", "state");
        int numClasses = (int) c.steps()
                .get(0)
                .path("inputs")
                .path("logits_s")
                .path("shape")
                .get(1)
                .asLong();
        hkd.prepare(new DistillerSetup(
                m,
                List.of(new Shape(embedS.getShape().get(1))),
                List.of(new Shape(embedT.getShape().get(1))),
                numClasses,
                (int) c.param("n_data")));
        Map<String, Block> modules = hkd.trainableModules();
        ModuleParameters.loadState(hkd, state, m);
        ParameterStore ps = new ParameterStore(m, false);
        int stepNumber = 0;
        for (JsonNode step : c.steps()) {
            stepNumber++;
            String at = "step " + stepNumber + " ";
            JsonNode in = step.path("inputs");
            JsonNode expected = step.path("expected");
            NDArray featS = ParityCase.tensor(m, in, "feat_s", "inputs");
            featS.setRequiresGradient(true);
            NDArray featT = ParityCase.tensor(m, in, "feat_t", "inputs");
            NDArray index = ParityCase.tensor(m, in, "index", "inputs");
            NDArray contrast = ParityCase.tensor(m, in, "contrast_index", "inputs");
            NetworkOutput student =
                    new NetworkOutput(ParityCase.tensor(m, in, "logits_s", "inputs"), List.of(featS), List.of());
            NetworkOutput teacher =
                    new NetworkOutput(ParityCase.tensor(m, in, "logits_t", "inputs"), List.of(featT), List.of());
            StepBatch batch =
                    new StepBatch(m.zeros(index.getShape(), ai.djl.ndarray.types.DataType.INT64), index, contrast, 0);
            ModuleParameters.zeroGradients(modules);
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                LossTerms terms = hkd.loss(new DistillationStep(student, teacher, batch, ps, true));
                NDArray total = terms.sum();
                gc.backward(total);
                cmp.loss(at + "loss", total.getFloat(), expected.path("loss").asDouble());
            }
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
            hkd.updateState();
            cmp.absolute(
                    at + "memory_s after",
                    hkd.state().get("memory_s"),
                    ParityCase.tensor(m, expected, "memory_s_after", "expected"),
                    Comparison.MEMORY_ABSOLUTE);
            cmp.absolute(
                    at + "memory_t after",
                    hkd.state().get("memory_t"),
                    ParityCase.tensor(m, expected, "memory_t_after", "expected"),
                    Comparison.MEMORY_ABSOLUTE);
            compareNeighbours(m, cmp, at + "knn_s", hkd.lastStudentGraph(), expected.get("knn_s"));
            compareNeighbours(m, cmp, at + "knn_t", hkd.lastTeacherGraph(), expected.get("knn_t"));
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
