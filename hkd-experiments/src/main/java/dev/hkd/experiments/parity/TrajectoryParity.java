package dev.hkd.experiments.parity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hkd.api.ArrayCopy;
import dev.hkd.testkit.parity.Comparison;
import dev.hkd.training.config.MethodConfig;
import dev.hkd.training.config.OptimizerConfig;
import dev.hkd.training.methods.DistillerRegistry;
import dev.hkd.training.methods.MethodSet;
import dev.hkd.training.models.FeatureNetwork;
import dev.hkd.training.models.ModelZoo;
import dev.hkd.training.models.WeightImport;
import dev.hkd.training.models.nn.StateDict;
import dev.hkd.training.train.Networks;
import dev.hkd.training.train.StepAssembly;
import dev.hkd.training.train.Trainer;
import dev.hkd.training.train.TrainingStep;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Replays a {@link TrajectoryCase} through the framework's own training step: the models from the
 * zoo with the case's weights, the method built by {@link MethodSet} from a method config, the
 * heads and banks set to the case's, {@link Sgd} over {@link Trainer#trainedParameters}, and
 * {@link TrainingStep} run once per recorded batch at the case's constant learning rate. Each
 * step's loss, CE, KD and method term (before that step's update) and, after the last step, every
 * tensor of the case are compared with the reference.
 *
 * <p>The cases were computed in float64, and so is the replay by default: the same code with every
 * network, head, bank and optimizer buffer in float64. In float32 a replay's per-step error depends
 * on the order in which the CPU sums (its thread count) as much as on the code: a ReLU whose input is
 * within rounding of zero flips, and CRD's and HKD's sharp losses amplify the difference over the
 * steps (docs/parity.md). Float32 is available to look at that, not to judge by.
 *
 * <p>The reference always computes KD, also when its weight α is 0; a method without {@code kd} is
 * therefore run as {@code <method>+kd} with KD's weight α, so that the KD value can be compared.
 */
final class TrajectoryParity {

    /** Top-level fields that describe a case without changing what it computes. */
    private static final Set<String> DESCRIPTIVE = Set.of("name", "kind", "source", "description", "seed");

    private static final Set<String> FIELDS = Set.of(
            "method",
            "teacher",
            "student",
            "num_classes",
            "weights",
            "params",
            "optimizer",
            "steps",
            "batch_size",
            "expected_per_step");
    private static final Set<String> WEIGHTS = Set.of("ce", "kd", "method");
    private static final Set<String> OPTIMIZER = Set.of("lr", "momentum", "weight_decay", "nesterov");

    /**
     * The reference's command-line flags ({@code params}) as this project's method options. The
     * reference's HKD ignores {@code nce_t} and {@code nce_m} (docs/methods.md#hkd), so they map to
     * nothing there; {@code n_data} is the number of training images, checked against the data.
     */
    private static final Map<String, Map<String, String>> FLAGS = Map.of(
            "kd", Map.of("temperature", "temperature"),
            "crd", Map.of("feat_dim", "feat_dim", "nce_k", "nce_k", "nce_t", "nce_t", "nce_m", "nce_m"),
            "hkd", Map.of("feat_dim", "feat_dim", "nce_k", "nce_k", "knn", "knn"));

    private static final Set<String> PARAMS =
            Set.of("temperature", "feat_dim", "nce_k", "nce_t", "nce_m", "knn", "n_data");

    private TrajectoryParity() {}

    static void run(TrajectoryCase c, NDManager m, Comparison cmp, DataType dataType) {
        checkFields(c);
        NDArray images = c.takeInit("images").toType(dataType, false);
        NDArray labels = c.takeInit("labels");
        int[][] batches = toIntRows(c.takeInit("batches"));
        long[][][] contrast = toLongCube(c.takeInit("contrast_index"));
        int n = (int) images.getShape().get(0);
        if (batches.length != c.steps() || contrast.length != c.steps()) {
            throw new IllegalArgumentException(c.where() + ": " + c.steps() + " steps, but " + batches.length
                    + " batches and " + contrast.length + " contrast draws");
        }
        if (c.params().has("n_data") && (int) c.params().get("n_data").asLong() != n) {
            throw new IllegalArgumentException(
                    c.where() + ": params.n_data " + c.params().get("n_data") + ", but " + n + " images");
        }

        FeatureNetwork teacher = network(c.teacher(), c, m, images, dataType);
        teacher.freeze();
        FeatureNetwork student = network(c.student(), c, m, images, dataType);
        WeightImport.load(teacher, c.takeInitUnder("teacher."), c.where() + "/init.safetensors (teacher.)");
        WeightImport.load(student, c.takeInitUnder("student."), c.where() + "/init.safetensors (student.)");

        String methodId = methodComponent(c);
        MethodSet method = MethodSet.build(methodConfig(c, methodId), DistillerRegistry.fromClasspath(), null);
        StepAssembly.prepare(method, m, student, teacher, images.get("0:2"), c.numClasses(), n);
        Map<String, Block> heads = methodId == null
                ? Map.of()
                : component(method, methodId).distiller().trainableModules();
        Map<String, NDArray> state = methodId == null
                ? Map.of()
                : component(method, methodId).distiller().state();
        loadHeadsAndBanks(c, heads, state);

        OptimizerConfig optimizer = new OptimizerConfig(
                c.optimizer().path("lr").asDouble(),
                c.optimizer().path("momentum").asDouble(),
                c.optimizer().path("weight_decay").asDouble(),
                c.optimizer().path("nesterov").asBoolean(false));
        RecordedContrast contrastSource = method.dataNeeds().contrastMode() == dev.hkd.api.ContrastMode.NONE
                ? null
                : new RecordedContrast(
                        checkNegatives(c, contrast, method),
                        batches,
                        method.dataNeeds().contrastMode());
        TrainingStep.Parts parts = new TrainingStep.Parts(
                new Networks(student, teacher), method, new RecordedBatches(images, labels), 0, contrastSource);
        TrainingStep step = StepAssembly.assemble(m, parts, optimizer).step();

        for (int s = 0; s < c.steps(); s++) {
            if (batches[s].length != c.batchSize()) {
                throw new IllegalArgumentException(c.where() + ": batch " + (s + 1) + " has " + batches[s].length
                        + " samples, batch_size is " + c.batchSize());
            }
            Map<String, Double> losses =
                    step.run(batches[s], 0, s, optimizer.lr()).losses();
            Map<String, Double> ours = new LinkedHashMap<>();
            ours.put("loss", losses.get("loss"));
            ours.put("ce", losses.get("ce"));
            ours.put("kd", losses.get("kd"));
            ours.put("method", methodTerm(losses, methodId));
            for (String key : TrajectoryCase.STEP_VALUES) {
                cmp.stepValue("step " + (s + 1) + " " + key, ours.get(key), c.expectedAt(key, s));
            }
        }
        int tensors = compareFinal(c, student, heads, state, cmp);
        cmp.setSummary(cmp.trajectorySummary(c.steps(), tensors));
    }

    private static void checkFields(TrajectoryCase c) {
        unknown(c, c.json(), "", name -> FIELDS.contains(name) || DESCRIPTIVE.contains(name));
        unknown(c, c.json().path("weights"), "weights.", WEIGHTS::contains);
        unknown(c, c.json().path("optimizer"), "optimizer.", OPTIMIZER::contains);
        unknown(c, c.params(), "params.", PARAMS::contains);
        for (String key : TrajectoryCase.STEP_VALUES) {
            c.expectedAt(key, 0);
        }
        unknown(c, c.json().path("expected_per_step"), "expected_per_step.", TrajectoryCase.STEP_VALUES::contains);
    }

    private static void unknown(
            TrajectoryCase c, JsonNode node, String prefix, java.util.function.Predicate<String> known) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!known.test(name)) {
                throw new IllegalArgumentException(c.where() + ": unknown field '" + prefix + name + "' in case.json");
            }
        }
    }

    private static FeatureNetwork network(
            String model, TrajectoryCase c, NDManager m, NDArray images, DataType dataType) {
        if (!ModelZoo.contains(model)) {
            throw new IllegalArgumentException(c.where() + ": unknown model '" + model + "'");
        }
        FeatureNetwork net = ModelZoo.create(model, c.numClasses());
        net.initialize(
                m,
                dataType,
                new ai.djl.ndarray.types.Shape(1).addAll(images.getShape().slice(1)));
        return net;
    }

    /** The one method besides KD, or null for a KD case. */
    private static String methodComponent(TrajectoryCase c) {
        List<String> others = new ArrayList<>();
        for (String id : c.method().split("\\+")) {
            String trimmed = id.trim();
            if (!FLAGS.containsKey(trimmed)) {
                throw new IllegalArgumentException(c.where() + ": method '" + trimmed
                        + "' has no trajectory support here" + " (known: " + String.join(", ", FLAGS.keySet()) + ")");
            }
            if (!trimmed.equals("kd")) {
                others.add(trimmed);
            }
        }
        if (others.size() > 1) {
            throw new IllegalArgumentException(
                    c.where() + ": method '" + c.method() + "' combines more than one method with KD");
        }
        if (others.isEmpty() && c.weight("method") != 0) {
            throw new IllegalArgumentException(c.where() + ": method '" + c.method()
                    + "' has no method term, but weights.method is " + c.weight("method"));
        }
        return others.isEmpty() ? null : others.get(0);
    }

    private static MethodConfig methodConfig(TrajectoryCase c, String methodId) {
        Map<String, Double> weights = new LinkedHashMap<>();
        weights.put("ce", c.weight("ce"));
        weights.put("kd", c.weight("kd"));
        Map<String, JsonNode> options = new LinkedHashMap<>();
        options.put("kd", options(c, "kd"));
        String name = "kd";
        if (methodId != null) {
            weights.put(methodId, c.weight("method"));
            options.put(methodId, options(c, methodId));
            name = methodId + "+kd";
        }
        return new MethodConfig(name, weights, options);
    }

    private static ObjectNode options(TrajectoryCase c, String id) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        FLAGS.get(id).forEach((flag, option) -> {
            if (c.params().has(flag)) {
                out.set(option, c.params().get(flag));
            }
        });
        return out;
    }

    private static MethodSet.Component component(MethodSet method, String id) {
        return method.components().stream()
                .filter(x -> x.id().equals(id))
                .findFirst()
                .orElseThrow();
    }

    private static long[][][] checkNegatives(TrajectoryCase c, long[][][] contrast, MethodSet method) {
        int k = contrast.length == 0 ? 0 : contrast[0][0].length;
        if (k != method.dataNeeds().negatives()) {
            throw new IllegalArgumentException(
                    c.where() + ": contrast_index holds " + k + " negatives per sample, the method draws "
                            + method.dataNeeds().negatives());
        }
        return contrast;
    }

    /** The case's remaining init tensors are the method's heads (by reference name) and its banks. */
    private static void loadHeadsAndBanks(TrajectoryCase c, Map<String, Block> heads, Map<String, NDArray> state) {
        Set<Parameter> loaded = new java.util.HashSet<>();
        for (Map.Entry<String, NDArray> e : c.takeInitUnder("").entrySet()) {
            String name = e.getKey();
            if (state.containsKey(name)) {
                NDArray target = state.get(name);
                if (!target.getShape().equals(e.getValue().getShape())) {
                    throw new IllegalArgumentException(c.where() + ": " + name + " has shape "
                            + e.getValue().getShape() + ", ours " + target.getShape());
                }
                ArrayCopy.into(e.getValue().toType(target.getDataType(), false), target);
            } else if (!heads.isEmpty()
                    && name.contains(".")
                    && heads.containsKey(name.substring(0, name.lastIndexOf('.')))) {
                Parameter p = ModuleParameters.find(heads, name);
                ModuleParameters.set(p, e.getValue(), name);
                loaded.add(p);
            } else {
                throw new IllegalArgumentException(c.where() + ": unknown tensor '" + name + "' in init.safetensors");
            }
        }
        for (Map.Entry<String, Block> h : heads.entrySet()) {
            for (var p : h.getValue().getParameters()) {
                if (!loaded.contains(p.getValue())) {
                    throw new IllegalArgumentException(
                            c.where() + ": init.safetensors gives no value for " + h.getKey() + "'s " + p.getKey());
                }
            }
        }
    }

    private static double methodTerm(Map<String, Double> losses, String methodId) {
        if (methodId == null) {
            return 0;
        }
        double sum = 0;
        for (Map.Entry<String, Double> e : losses.entrySet()) {
            if (e.getKey().equals(methodId) || e.getKey().startsWith(methodId + ".")) {
                sum += e.getValue();
            }
        }
        return sum;
    }

    /** Every tensor of {@code expected.safetensors}; returns how many were compared. */
    private static int compareFinal(
            TrajectoryCase c,
            FeatureNetwork student,
            Map<String, Block> heads,
            Map<String, NDArray> state,
            Comparison cmp) {
        Map<String, Parameter> studentState = StateDict.of(student);
        int count = 0;
        for (Map.Entry<String, NDArray> e : c.expected().entrySet()) {
            String name = e.getKey();
            NDArray reference = e.getValue();
            NDArray ours;
            if (name.startsWith("student.")) {
                Parameter p = studentState.get(name.substring("student.".length()));
                if (p == null) {
                    cmp.fail("expected tensor '" + name + "' is not a parameter of " + student.modelName());
                    continue;
                }
                ours = p.getArray();
            } else if (state.containsKey(name)) {
                ours = state.get(name);
            } else {
                try {
                    ours = ModuleParameters.find(heads, name).getArray();
                } catch (IllegalArgumentException | StringIndexOutOfBoundsException notAHead) {
                    cmp.fail("expected tensor '" + name + "' is neither the student's, a head's nor a bank");
                    continue;
                }
            }
            count++;
            if (reference.getDataType().isInteger()) {
                cmp.exact(name, ours.toType(DataType.INT64, false).toLongArray(), reference.toLongArray());
            } else {
                cmp.finalTensor(name, ours, reference);
            }
        }
        return count;
    }

    private static int[][] toIntRows(NDArray a) {
        long rows = a.getShape().get(0);
        long cols = a.getShape().get(1);
        long[] flat = a.toLongArray();
        int[][] out = new int[(int) rows][(int) cols];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                out[r][j] = (int) flat[(int) (r * cols + j)];
            }
        }
        return out;
    }

    private static long[][][] toLongCube(NDArray a) {
        int d0 = (int) a.getShape().get(0);
        int d1 = (int) a.getShape().get(1);
        int d2 = (int) a.getShape().get(2);
        long[] flat = a.toLongArray();
        long[][][] out = new long[d0][d1][d2];
        for (int i = 0; i < d0; i++) {
            for (int j = 0; j < d1; j++) {
                System.arraycopy(flat, (i * d1 + j) * d2, out[i][j], 0, d2);
            }
        }
        return out;
    }
}
