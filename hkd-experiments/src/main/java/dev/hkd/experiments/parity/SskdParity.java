package dev.hkd.experiments.parity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import dev.hkd.losses.SskdLoss;
import dev.hkd.testkit.parity.AbstractParityCheck;
import dev.hkd.testkit.parity.Comparison;
import dev.hkd.testkit.parity.ParityCase;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code sskd}: every term, the ranks and kept rows, both similarity matrices and head outputs,
 * the gradients of the total and of each term, and the teacher head's pre-training loss and
 * gradients (docs/methods.md#sskd).
 */
public final class SskdParity extends AbstractParityCheck {

    public SskdParity() {
        super("sskd");
    }

    private static final String[] HEAD = {
        "proj_head.0.weight", "proj_head.0.bias", "proj_head.2.weight", "proj_head.2.bias"
    };

    @Override
    public void run(ParityCase c, NDManager m, Comparison cmp) {
        JsonNode in = c.root().path("inputs");
        JsonNode state = c.root().path("state");
        JsonNode expected = c.root().path("expected");
        JsonNode p = c.params();
        SskdLoss.Settings settings = new SskdLoss.Settings(
                p.path("ce_weight").asDouble(),
                p.path("kd_weight").asDouble(),
                p.path("tf_weight").asDouble(),
                p.path("ss_weight").asDouble(),
                p.path("kd_T").asDouble(),
                p.path("tf_T").asDouble(),
                p.path("ss_T").asDouble(),
                p.path("ratio_tf").asDouble(),
                p.path("ratio_ss").asDouble());
        int images = p.path("batch_images").asInt();
        NDArray labels = ParityCase.tensor(m, in, "target", "inputs");

        // The total, and each term on its own, each with a fresh forward so gradients do not mix.
        Map<String, Function<SskdLoss.Result, NDArray>> losses = new LinkedHashMap<>();
        losses.put("total", SskdLoss.Result::total);
        losses.put("loss_ce", SskdLoss.Result::ce);
        losses.put("loss_kd", SskdLoss.Result::kd);
        losses.put("loss_tf", SskdLoss.Result::tf);
        losses.put("loss_ss", SskdLoss.Result::ss);
        for (Map.Entry<String, Function<SskdLoss.Result, NDArray>> e : losses.entrySet()) {
            NDArray logitsS = ParityCase.tensor(m, in, "logits_s", "inputs");
            NDArray featS = ParityCase.tensor(m, in, "feat_s", "inputs");
            logitsS.setRequiresGradient(true);
            featS.setRequiresGradient(true);
            NDArray[] head = head(m, state, "s_model.", true);
            NDArray[] teacherHead = head(m, state, "t_model.", false);
            SskdLoss.Result r;
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                NDArray projS = project(featS, head);
                NDArray projT = project(ParityCase.tensor(m, in, "feat_t", "inputs"), teacherHead);
                r = SskdLoss.compute(
                        logitsS, ParityCase.tensor(m, in, "logits_t", "inputs"), projS, projT, labels, settings);
                gc.backward(e.getValue().apply(r));
                if (e.getKey().equals("total")) {
                    cmp.loss("loss", r.total().getFloat(), expected.path("loss").asDouble());
                    JsonNode terms = expected.path("terms");
                    for (String term : List.of("loss_ce", "loss_kd", "loss_tf", "loss_ss")) {
                        cmp.loss(
                                term,
                                losses.get(term).apply(r).getFloat(),
                                terms.path(term).asDouble());
                    }
                    exact(cmp, m, expected, "rank_tf", r.rankTf());
                    exact(cmp, m, expected, "rank_ss", r.rankSs());
                    exact(cmp, m, expected, "distill_index_tf", r.keptTf());
                    exact(cmp, m, expected, "distill_index_ss", r.keptSs());
                    cmp.gradient("simi_s", r.similarityStudent(), ParityCase.tensor(m, expected, "simi_s", "expected"));
                    cmp.gradient("simi_t", r.similarityTeacher(), ParityCase.tensor(m, expected, "simi_t", "expected"));
                    cmp.gradient("proj_s", projS, ParityCase.tensor(m, expected, "proj_s", "expected"));
                    cmp.gradient("proj_t", projT, ParityCase.tensor(m, expected, "proj_t", "expected"));
                }
            }
            JsonNode grads = e.getKey().equals("total")
                    ? expected.path("grad")
                    : expected.path("grad_by_term").path(e.getKey()).path("grad");
            String at = e.getKey().equals("total") ? "grad " : "grad of " + e.getKey() + " ";
            cmp.gradient(
                    at + "logits_s",
                    ModuleParameters.gradient(logitsS),
                    ParityCase.tensor(m, grads, "logits_s", "grad"));
            cmp.gradient(
                    at + "feat_s", ModuleParameters.gradient(featS), ParityCase.tensor(m, grads, "feat_s", "grad"));
            for (int i = 0; i < 4; i++) {
                String name = "s_model." + HEAD[i];
                if (grads.has(name)) {
                    cmp.gradient(
                            at + name, ModuleParameters.gradient(head[i]), ParityCase.tensor(m, grads, name, "grad"));
                }
            }
        }

        // Stage 1: the teacher head's pre-training loss and its gradients.
        JsonNode pre = expected.path("teacher_ss_pretrain");
        NDArray[] teacherHead = head(m, state, "t_model.", true);
        try (GradientCollector gc = m.getEngine().newGradientCollector()) {
            NDArray projT = project(ParityCase.tensor(m, in, "feat_t", "inputs"), teacherHead);
            NDArray loss = SskdLoss.teacherPretraining(projT, images);
            gc.backward(loss);
            cmp.loss(
                    "teacher_ss_pretrain loss",
                    loss.getFloat(),
                    pre.path("loss").asDouble());
            cmp.gradient(
                    "teacher_ss_pretrain simi",
                    SskdLoss.teacherSimilarity(projT, images),
                    ParityCase.tensor(m, pre, "simi", "expected.teacher_ss_pretrain"));
        }
        for (int i = 0; i < 4; i++) {
            String name = "t_model." + HEAD[i];
            cmp.gradient(
                    "teacher_ss_pretrain grad " + name,
                    teacherHead[i].getGradient(),
                    ParityCase.tensor(m, pre.path("grad"), name, "grad"));
        }
    }

    /** The projection head of {@code model} ({@code s_model.} or {@code t_model.}) from the case's state. */
    private static NDArray[] head(NDManager m, JsonNode state, String model, boolean trained) {
        NDArray[] head = new NDArray[HEAD.length];
        for (int i = 0; i < HEAD.length; i++) {
            head[i] = ParityCase.tensor(m, state, model + HEAD[i], "state");
            if (trained) {
                head[i].setRequiresGradient(true);
            }
        }
        return head;
    }

    private static NDArray project(NDArray features, NDArray[] head) {
        return SskdLoss.project(features, head[0], head[1], head[2], head[3]);
    }

    /** Ranks and kept rows are indices: they must match to the element. */
    private static void exact(Comparison cmp, NDManager m, JsonNode expected, String name, NDArray actual) {
        cmp.exact(
                name,
                actual.toLongArray(),
                ParityCase.tensor(m, expected, name, "expected").toLongArray());
    }
}
