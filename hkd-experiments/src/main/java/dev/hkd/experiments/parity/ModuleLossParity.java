package dev.hkd.experiments.parity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import dev.hkd.api.DistillationStep;
import dev.hkd.api.Distiller;
import dev.hkd.api.DistillerSetup;
import dev.hkd.api.NetworkOutput;
import dev.hkd.api.StepBatch;
import dev.hkd.baselines.feature.CcProvider;
import dev.hkd.baselines.fitnet.ConvRegressor;
import dev.hkd.baselines.vid.VariationalRegressor;
import dev.hkd.baselines.vid.VidProvider;
import dev.hkd.testkit.parity.AbstractParityCheck;
import dev.hkd.testkit.parity.Comparison;
import dev.hkd.testkit.parity.ParityCase;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The losses with trained modules — {@code cc} (embeddings), {@code vid} (regressor and variance),
 * {@code fitnet} (regressor with BatchNorm on batch statistics) — with the modules' parameters
 * loaded from the case's {@code state} under the reference's names.
 */
public final class ModuleLossParity extends AbstractParityCheck {

    public ModuleLossParity() {
        super("cc", "vid", "fitnet");
    }

    @Override
    public void run(ParityCase c, NDManager m, Comparison cmp) {
        JsonNode in = c.root().path("inputs");
        JsonNode state = c.root().path("state");
        JsonNode expected = c.root().path("expected");
        NDArray s = ParityCase.tensor(m, in, "feat_s", "inputs");
        NDArray t = ParityCase.tensor(m, in, "feat_t", "inputs");
        s.setRequiresGradient(true);
        ParameterStore ps = new ParameterStore(m, false);
        Map<String, Parameter> named;
        NDArray loss;
        switch (c.method()) {
            case "cc" -> {
                Distiller cc = new CcProvider().create(new CcProvider.Config((int) c.param("feat_dim")));
                cc.prepare(new DistillerSetup(
                        m, List.of(s.getShape().slice(1)), List.of(t.getShape().slice(1)), 1, 1));
                Map<String, Block> modules = cc.trainableModules();
                named = new java.util.LinkedHashMap<>();
                for (Iterator<String> it = state.fieldNames(); it.hasNext(); ) {
                    String name = it.next();
                    named.put(name, ModuleParameters.find(modules, name));
                }
                load(m, state, named);
                try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                    NDArray logits = m.zeros(new Shape(s.getShape().get(0), 1));
                    loss = cc.loss(new DistillationStep(
                                    new NetworkOutput(logits, List.of(s), List.of()),
                                    new NetworkOutput(logits, List.of(t), List.of()),
                                    new StepBatch(
                                            m.zeros(new Shape(s.getShape().get(0)), DataType.INT64), null, null, 0),
                                    ps,
                                    true))
                            .sum();
                    gc.backward(loss);
                }
            }
            case "vid" -> {
                long out = t.getShape().get(1);
                VariationalRegressor r = new VariationalRegressor(
                        s.getShape().get(1), out, out, c.param("init_pred_var"), c.param("eps"));
                r.initialize(m, DataType.FLOAT32, s.getShape());
                named = r.referenceParameters();
                load(m, state, named);
                try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                    NDArray logits = m.zeros(new Shape(1, 1));
                    DistillationStep step = new DistillationStep(
                            new NetworkOutput(logits, List.of(), List.of()),
                            new NetworkOutput(logits, List.of(), List.of()),
                            new StepBatch(m.zeros(new Shape(1)), null, null, 0),
                            ps,
                            true);
                    loss = VidProvider.loss(r, s, t, step, c.param("eps"));
                    gc.backward(loss);
                }
            }
            default -> {
                ConvRegressor r =
                        new ConvRegressor(s.getShape().slice(1), t.getShape().slice(1));
                r.initialize(m, DataType.FLOAT32, s.getShape());
                named = r.referenceParameters();
                load(m, state, named);
                try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                    NDArray hint = r.forward(ps, new NDList(s), true).head();
                    loss = hint.sub(t).square().mean();
                    gc.backward(loss);
                }
            }
        }
        cmp.loss("loss", loss.getFloat(), expected.path("loss").asDouble());
        Map<String, Parameter> parameters = named;
        ModuleParameters.compareGradients(m, cmp, "", expected.path("grad"), s, name -> {
            Parameter p = parameters.get(name);
            if (p == null) {
                throw new IllegalArgumentException("gradient of unknown parameter '" + name + "'");
            }
            return p;
        });
    }

    private static void load(NDManager m, JsonNode state, Map<String, Parameter> named) {
        for (Iterator<String> it = state.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            Parameter p = named.get(name);
            if (p == null) {
                throw new IllegalArgumentException("reference parameter '" + name + "' has no counterpart here");
            }
            ModuleParameters.set(p, ParityCase.tensor(m, state, name, "state"), name);
        }
    }
}
