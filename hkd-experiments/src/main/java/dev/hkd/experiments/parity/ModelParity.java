package dev.hkd.experiments.parity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hkd.api.NetworkOutput;
import dev.hkd.testkit.parity.Comparison;
import dev.hkd.training.io.SafeTensors;
import dev.hkd.training.models.FeatureNetwork;
import dev.hkd.training.models.ImageLayout;
import dev.hkd.training.models.ModelZoo;
import dev.hkd.training.models.WeightImport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A model fixture: {@code <model>.safetensors} (a reference state dict) and
 * {@code <model>.io.safetensors} (inputs and the reference's outputs), described by the folder's
 * {@code manifest.json}: the model is built for the manifest's class count ({@code logits_shape})
 * and input ({@code input_shape}; the CIFAR manifest has none, its inputs are the fixture's), and its
 * trainable parameter count must be the manifest's. Logits and every feature are
 * compared in eval mode (plus pre-activation features) and in training mode (batch statistics),
 * each within 1e-4 of the largest absolute value of the reference tensor. Eval mode is checked in
 * both image layouts, since the frozen teacher runs channels-last; training mode only in the
 * reference's contiguous layout, which the student keeps ({@link ImageLayout} says why).
 */
final class ModelParity {

    static final double RELATIVE_TO_MAX = 1e-4;

    private ModelParity() {}

    static void run(String model, Path weights, Path io, NDManager m, Comparison cmp) {
        Path manifest = io.resolveSibling("manifest.json");
        if (!Files.isRegularFile(manifest)) {
            cmp.fail("no manifest.json beside " + io.getFileName() + " (it gives the model's classes and input)");
            return;
        }
        JsonNode entry = manifestEntry(manifest, model);
        Map<String, NDArray> ref = SafeTensors.read(io, m).tensors();
        if (entry == null || !ref.containsKey("input_eval") || !ref.containsKey("input_train")) {
            cmp.fail(
                    entry == null
                            ? manifest + " has no entry '" + model + "'"
                            : io.getFileName() + " lacks input_eval or input_train");
            return;
        }
        int classes = entry.path("logits_shape").path(0).asInt(0);
        if (classes < 1) {
            cmp.fail("manifest entry '" + model + "' has no logits_shape");
            return;
        }
        Shape input = entry.has("input_shape")
                ? new Shape(1).addAll(shape(entry.get("input_shape")))
                : new Shape(1).addAll(ref.get("input_eval").getShape().slice(1));
        FeatureNetwork net = ModelZoo.create(model, classes);
        net.initialize(m, DataType.FLOAT32, input);
        cmp.exact("trainable parameters", new long[] {net.trainableParameterCount()}, new long[] {
            entry.path("parameters").asLong(-1)
        });
        WeightImport.load(net, weights, m);
        ParameterStore ps = new ParameterStore(m, false);
        for (ImageLayout layout : ImageLayout.values()) {
            String in = layout == ImageLayout.CONTIGUOUS ? "" : "channels-last ";
            NetworkOutput eval = net.forward(ps, layout.apply(ref.get("input_eval")), false, true);
            compare(cmp, in + "eval logits", eval.logits(), ref.get("logits_eval"));
            compareList(cmp, in + "eval feat", eval.features(), ref, "feat_eval.");
            compareList(cmp, in + "eval preact_feat", eval.preActivationFeatures(), ref, "preact_feat_eval.");
        }
        NetworkOutput train = net.forward(ps, ref.get("input_train"), true, false);
        compare(cmp, "train logits", train.logits(), ref.get("logits_train"));
        compareList(cmp, "train feat", train.features(), ref, "feat_train.");
    }

    /** The manifest's entry for {@code model}, or null when it lacks one. */
    private static JsonNode manifestEntry(Path manifest, String model) {
        try {
            return new ObjectMapper().readTree(manifest.toFile()).get(model);
        } catch (IOException e) {
            throw new IllegalArgumentException(manifest + ": not readable JSON ("
                    + e.getMessage().lines().findFirst().orElse("") + ")");
        }
    }

    private static Shape shape(JsonNode dims) {
        long[] d = new long[dims.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = dims.get(i).asLong();
        }
        return new Shape(d);
    }

    private static void compareList(
            Comparison cmp, String what, List<NDArray> ours, Map<String, NDArray> ref, String prefix) {
        int expected =
                (int) ref.keySet().stream().filter(k -> k.startsWith(prefix)).count();
        if (expected != ours.size()) {
            cmp.fail(what + ": " + ours.size() + " features, reference has " + expected);
            return;
        }
        for (int i = 0; i < expected; i++) {
            compare(cmp, what + "[" + i + "]", ours.get(i), ref.get(prefix + i));
        }
    }

    private static void compare(Comparison cmp, String what, NDArray ours, NDArray reference) {
        NDArray r = reference.getShape().equals(ours.getShape()) ? reference : reference.reshape(ours.getShape());
        double scale = r.abs().max().toType(DataType.FLOAT64, false).getDouble();
        cmp.absolute(what, ours, r, RELATIVE_TO_MAX * scale);
    }
}
