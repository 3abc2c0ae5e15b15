package dev.hkd.experiments.parity;

import ai.djl.ndarray.NDArray;
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
import dev.hkd.api.InitStage;
import dev.hkd.api.NetworkOutput;
import dev.hkd.api.Scalars;
import dev.hkd.api.StepBatch;
import dev.hkd.baselines.ReferenceNamed;
import dev.hkd.baselines.StageModules;
import dev.hkd.baselines.ab.AbProvider;
import dev.hkd.baselines.ft.FtProvider;
import dev.hkd.baselines.ofd.OfdProvider;
import dev.hkd.losses.AbLoss;
import dev.hkd.losses.OfdLoss;
import dev.hkd.testkit.parity.AbstractParityCheck;
import dev.hkd.testkit.parity.Comparison;
import dev.hkd.testkit.parity.ParityCase;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The losses of {@code losses-more/} with modules of their own — {@code ab} (connectors, BatchNorm on
 * batch statistics), {@code ft} (translator; the paraphraser and its init-stage loss) and
 * {@code ofd} (connectors, margins from the teacher's BatchNorm) — built by their distillers, with
 * the case's {@code state} loaded under the reference's names ({@code connectors.0.conv.weight}:
 * module {@code connectors}, its reference name {@code 0.conv.weight}). Checked: the loss, each
 * per-stage term, every listed gradient, the BatchNorm running statistics after the pass, OFD's
 * margins and FT's paraphraser pre-training.
 */
public final class ConnectedFeatureParity extends AbstractParityCheck {

    public ConnectedFeatureParity() {
        super("ab", "ft", "ofd");
    }

    @Override
    public void run(ParityCase c, NDManager m, Comparison cmp) {
        switch (c.method()) {
            case "ab" -> ab(c, m, cmp);
            case "ft" -> ft(c, m, cmp);
            default -> ofd(c, m, cmp);
        }
    }

    private static void ab(ParityCase c, NDManager m, Comparison cmp) {
        JsonNode expected = c.root().path("expected");
        List<NDArray> s = c.inputs(m, "feats_s", true);
        List<NDArray> t = c.inputs(m, "feats_t", false);
        if (c.param("feat_num") != s.size()) {
            throw new IllegalArgumentException(
                    c.file() + ": params.feat_num " + c.param("feat_num") + " for " + s.size() + " stages");
        }
        double margin = c.param("margin");
        Distiller ab = new AbProvider().create(new AbProvider.Config(margin, 30, 0.05));
        ab.prepare(setup(m, s, t, List.of()));
        InitStage stage = ab.initStage();
        Map<String, Parameter> named = load(m, c.root().path("state"), stage.modules());
        ParameterStore ps = new ParameterStore(m, false);
        List<NDArray> stages;
        NDArray total;
        try (GradientCollector gc = m.getEngine().newGradientCollector()) {
            StageModules connectors = (StageModules) stage.modules().get("connectors");
            stages = AbLoss.perStage(connectors.apply(ps, s, true), t, margin);
            total = FeatureMapLossParity.sum(stages);
            gc.backward(total);
        }
        FeatureMapLossParity.compareLosses(cmp, total, stages, expected);
        gradients(m, cmp, expected.path("grad"), named, s, null);
        runningStatistics(m, cmp, expected.path("running_after"), named);
    }

    private static void ft(ParityCase c, NDManager m, Comparison cmp) {
        JsonNode expected = c.root().path("expected");
        NDArray s = c.input(m, "feat_s", true);
        NDArray t = c.input(m, "feat_t", false);
        if (c.param("p1") != 2 || c.param("p2") != 1 || c.param("leaky_relu_slope") != 0.1) {
            throw new IllegalArgumentException(
                    c.file() + ": FT is implemented for p1 = 2, p2 = 1 and LeakyReLU(0.1), the reference's");
        }
        Distiller ft = new FtProvider().create(new FtProvider.Config(c.param("k"), 30, 0.01));
        ft.prepare(setup(m, List.of(s), List.of(t), List.of()));
        Map<String, Block> modules = new LinkedHashMap<>(ft.trainableModules());
        modules.putAll(ft.initStage().modules());
        Map<String, Parameter> named = load(m, c.root().path("state"), modules);
        ParameterStore ps = new ParameterStore(m, false);
        NDArray loss;
        try (GradientCollector gc = m.getEngine().newGradientCollector()) {
            loss = ft.loss(new DistillationStep(output(m, List.of(s)), output(m, List.of(t)), batch(m, s), ps, true))
                    .sum();
            gc.backward(loss);
        }
        cmp.loss("loss", loss.getFloat(), expected.path("loss").asDouble());
        gradients(m, cmp, expected.path("grad"), named, List.of(), s);
        runningStatistics(m, cmp, expected.path("running_after"), named);

        JsonNode init = expected.path("paraphraser_init");
        if (init.isMissingNode()) {
            throw new IllegalArgumentException(c.file() + ": expected.paraphraser_init missing");
        }
        NDArray initLoss;
        try (GradientCollector gc = m.getEngine().newGradientCollector()) {
            initLoss = ft.initStage().loss(null, output(m, List.of(t)), batch(m, t), ps);
            gc.backward(initLoss);
        }
        cmp.loss("paraphraser_init loss", initLoss.getFloat(), init.path("loss").asDouble());
        gradients(m, cmp, init.path("grad"), named, List.of(), null);
    }

    private static void ofd(ParityCase c, NDManager m, Comparison cmp) {
        JsonNode state = c.root().path("state");
        JsonNode expected = c.root().path("expected");
        List<NDArray> s = c.inputs(m, "feats_s", true);
        List<NDArray> t = c.inputs(m, "feats_t", false);
        List<DistillerSetup.StageBatchNorm> norms = new ArrayList<>();
        List<NDArray> margins = new ArrayList<>();
        for (int i = 0; i < t.size(); i++) {
            NDArray gamma = ParityCase.tensor(m, state, "teacher_bn." + i + ".weight", "state");
            NDArray beta = ParityCase.tensor(m, state, "teacher_bn." + i + ".bias", "state");
            norms.add(new DistillerSetup.StageBatchNorm(gamma, beta));
            NDArray margin = m.create(OfdLoss.margins(doubles(gamma), doubles(beta)));
            cmp.absolute(
                    "margins[" + i + "]",
                    margin,
                    ParityCase.tensor(m, expected.path("margins").get(i), "expected.margins[" + i + "]"),
                    Comparison.MEMORY_ABSOLUTE);
            margins.add(margin);
        }
        OfdProvider provider = new OfdProvider();
        int kernel = (int) c.param("kernel_size");
        Distiller ofd = provider.create(new OfdProvider.Config(kernel));
        ofd.prepare(setup(m, s, t, norms));
        Map<String, Block> modules = ofd.trainableModules();
        Map<String, Parameter> named = load(m, state, modules);
        ParameterStore ps = new ParameterStore(m, false);
        List<NDArray> stages;
        NDArray total;
        try (GradientCollector gc = m.getEngine().newGradientCollector()) {
            StageModules connectors = (StageModules) modules.get("connectors");
            stages = OfdLoss.perStage(connectors.apply(ps, s, true), t, margins);
            total = FeatureMapLossParity.sum(stages);
            gc.backward(Scalars.mul(total, provider.referenceWeight()));
        }
        if (c.param("feat_weight") != provider.referenceWeight()) {
            cmp.fail("feat_weight " + c.param("feat_weight") + " in the case, reference weight "
                    + provider.referenceWeight() + " here");
        }
        cmp.loss(
                "loss_unweighted",
                total.getFloat(),
                expected.path("loss_unweighted").asDouble());
        FeatureMapLossParity.compareLosses(cmp, Scalars.mul(total, provider.referenceWeight()), stages, expected);
        gradients(m, cmp, expected.path("grad"), named, s, null);
        runningStatistics(m, cmp, expected.path("running_after"), named);
    }

    /** Per-sample shapes {@code [stem, maps…, pooled]}: the stem and pooled entries are placeholders. */
    private static DistillerSetup setup(
            NDManager m, List<NDArray> s, List<NDArray> t, List<DistillerSetup.StageBatchNorm> norms) {
        return new DistillerSetup(m, shapes(s), shapes(t), 1, 1, DataType.FLOAT32, norms);
    }

    private static List<Shape> shapes(List<NDArray> maps) {
        List<Shape> out = new ArrayList<>(List.of(new Shape(1)));
        maps.forEach(x -> out.add(x.getShape().slice(1)));
        out.add(new Shape(1));
        return out;
    }

    /** An output whose features and pre-activations are {@code [placeholder, maps…, placeholder]}. */
    private static NetworkOutput output(NDManager m, List<NDArray> maps) {
        NDArray placeholder = m.zeros(new Shape(maps.get(0).getShape().get(0), 1));
        List<NDArray> features = new ArrayList<>(List.of(placeholder));
        features.addAll(maps);
        features.add(placeholder);
        return new NetworkOutput(placeholder, features, features);
    }

    private static StepBatch batch(NDManager m, NDArray like) {
        return new StepBatch(m.zeros(new Shape(like.getShape().get(0)), DataType.INT64), null, null, 0);
    }

    /** Every reference parameter of the modules, {@code <module>.<reference name>}, loaded from {@code state}. */
    private static Map<String, Parameter> load(NDManager m, JsonNode state, Map<String, Block> modules) {
        Map<String, Parameter> named = new LinkedHashMap<>();
        modules.forEach((module, block) ->
                ((ReferenceNamed) block).referenceParameters().forEach((k, p) -> named.put(module + "." + k, p)));
        for (Iterator<String> it = state.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (name.startsWith("teacher_bn.")) {
                continue;
            }
            Parameter p = named.get(name);
            if (p == null) {
                throw new IllegalArgumentException(
                        "reference parameter '" + name + "' has no counterpart here (ours: " + named.keySet() + ")");
            }
            ModuleParameters.set(p, ParityCase.tensor(m, state, name, "state"), name);
        }
        return named;
    }

    /** {@code feats_s} (a list), {@code feat_s} (one map) and every named parameter's gradient. */
    private static void gradients(
            NDManager m,
            Comparison cmp,
            JsonNode grads,
            Map<String, Parameter> named,
            List<NDArray> maps,
            NDArray map) {
        if (grads.size() == 0) {
            throw new IllegalArgumentException("no expected gradients");
        }
        for (Iterator<String> it = grads.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (name.equals("feats_s")) {
                for (int i = 0; i < maps.size(); i++) {
                    cmp.gradient(
                            "grad feats_s[" + i + "]",
                            ModuleParameters.gradient(maps.get(i)),
                            ParityCase.tensor(m, grads.path(name).get(i), "grad feats_s[" + i + "]"));
                }
            } else if (name.equals("feat_s") && map != null) {
                cmp.gradient(
                        "grad feat_s",
                        ModuleParameters.gradient(map),
                        ParityCase.tensor(m, grads, name, "expected.grad"));
            } else {
                Parameter p = named.get(name);
                if (p == null) {
                    throw new IllegalArgumentException("gradient of unknown parameter '" + name + "'");
                }
                cmp.gradient(
                        "grad " + name,
                        ModuleParameters.gradient(p.getArray()),
                        ParityCase.tensor(m, grads, name, "expected.grad"));
            }
        }
    }

    /** BatchNorm running statistics after the pass, within the memory tolerance. */
    private static void runningStatistics(NDManager m, Comparison cmp, JsonNode after, Map<String, Parameter> named) {
        if (after.size() == 0) {
            throw new IllegalArgumentException("expected.running_after missing");
        }
        for (Iterator<String> it = after.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            Parameter p = named.get(name);
            if (p == null) {
                throw new IllegalArgumentException("running statistic of unknown parameter '" + name + "'");
            }
            cmp.absolute(
                    name,
                    p.getArray(),
                    ParityCase.tensor(m, after, name, "expected.running_after"),
                    Comparison.MEMORY_ABSOLUTE);
        }
    }

    private static double[] doubles(NDArray a) {
        return a.toType(DataType.FLOAT64, false).toDoubleArray();
    }
}
