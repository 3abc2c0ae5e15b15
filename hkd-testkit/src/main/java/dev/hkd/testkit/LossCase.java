package dev.hkd.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import dev.hkd.api.DistillationStep;
import dev.hkd.api.NetworkOutput;
import dev.hkd.api.StepBatch;
import dev.hkd.testkit.parity.ParityCase;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A stateless loss case in the project's parity format ({@code docs/methods.md} lists ours):
 * {@code params}, {@code inputs} (tensors {@code {"shape": [...], "data": [...]}} in row-major
 * order, or lists of them), {@code expected.loss} and {@code expected.grad} (the gradient for
 * each input that has one), computed in float64 by a reference implementation. The loss under
 * test runs in float32, as training does, and must meet the tolerances an honest float32
 * implementation meets: the loss within 1e-4 relative, each gradient within 1e-4 of its largest
 * absolute entry.
 *
 * <pre>{@code
 * LossCase c = LossCase.read(Path.of("src/test/resources/my-loss.json"));
 * c.assertMatches(in -> MyLoss.compute(in.get("logits_s"), in.get("logits_t"), c.param("temperature")));
 * }</pre>
 *
 * An input that is a list appears as {@code name.0}, {@code name.1}, …; integer tensors stay int64.
 */
public final class LossCase {

    /** Relative tolerance of the loss and, relative to its largest entry, of each gradient. */
    public static final double TOLERANCE = 1e-4;

    private final ParityCase parityCase;
    private final Path file;
    private final JsonNode root;

    private LossCase(ParityCase parityCase) {
        this.parityCase = parityCase;
        this.file = parityCase.file();
        this.root = parityCase.root();
    }

    /** Reads a case; a file that is not one fails with a message naming it. */
    public static LossCase read(Path file) {
        ParityCase c = ParityCase.read(file);
        if (!c.root().path("inputs").isObject()
                || !c.root().path("expected").path("loss").isNumber()) {
            throw new IllegalArgumentException(
                    file + ": not a stateless loss case (needs 'inputs' and 'expected.loss')");
        }
        return new LossCase(c);
    }

    /** {@code params.<key>} as a number; a missing key fails with the file's name. */
    public double param(String key) {
        return parityCase.param(key);
    }

    /** {@code params.<key>} as a boolean; a missing key fails with the file's name. */
    public boolean flag(String key) {
        JsonNode v = root.path("params").path(key);
        if (!v.isBoolean()) {
            throw new IllegalArgumentException(file + ": params." + key + " is missing or not true/false");
        }
        return v.asBoolean();
    }

    /**
     * A training step that holds only logits (and labels, which may be null): what a logits-only
     * distiller's {@code loss} needs, to check it against a case.
     */
    public static DistillationStep stepFromLogits(NDArray studentLogits, NDArray teacherLogits, NDArray labels) {
        NDManager m = studentLogits.getManager();
        return new DistillationStep(
                new NetworkOutput(studentLogits, List.of(), List.of()),
                new NetworkOutput(teacherLogits, List.of(), List.of()),
                new StepBatch(labels, null, null, 0),
                new ParameterStore(m, false),
                true);
    }

    /** The case's {@code name}, or the file name. */
    public String name() {
        return parityCase.name();
    }

    /**
     * Computes {@code loss} from the case's inputs (float32; those with an expected gradient
     * require one) and asserts the loss and every expected gradient within {@link #TOLERANCE}.
     */
    public void assertMatches(Function<Map<String, NDArray>, NDArray> loss) {
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            Map<String, NDArray> inputs = tensors(m, root.path("inputs"));
            Map<String, NDArray> expectedGrads =
                    tensors(m, root.path("expected").path("grad"));
            for (String name : expectedGrads.keySet()) {
                NDArray input = inputs.get(name);
                if (input == null) {
                    throw new IllegalArgumentException(file + ": expected.grad." + name + " has no input of that name");
                }
                input.setRequiresGradient(true);
            }
            double value;
            try (GradientCollector collector = m.getEngine().newGradientCollector()) {
                NDArray l = loss.apply(inputs);
                collector.backward(l);
                value = l.toType(DataType.FLOAT64, false).getDouble();
            }
            double expected = root.path("expected").path("loss").asDouble();
            assertEquals(expected, value, TOLERANCE * Math.max(Math.abs(expected), 1e-12), name() + ": loss");
            for (Map.Entry<String, NDArray> e : expectedGrads.entrySet()) {
                NDArray want = e.getValue();
                NDArray got = inputs.get(e.getKey()).getGradient();
                assertEquals(want.getShape(), got.getShape(), name() + ": shape of the gradient of " + e.getKey());
                double scale = want.abs().max().getFloat();
                double worst = got.sub(want).abs().max().getFloat();
                assertTrue(
                        worst <= TOLERANCE * Math.max(scale, 1e-12),
                        name() + ": gradient of " + e.getKey() + " is off by up to " + worst + ", more than "
                                + TOLERANCE + " of its largest entry " + scale);
            }
        }
    }

    private NDArray tensor(NDManager m, JsonNode node, String what) {
        return ParityCase.tensor(m, node, file + ": '" + what + "'");
    }

    private Map<String, NDArray> tensors(NDManager m, JsonNode parent) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = parent.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isArray()) {
                for (int i = 0; i < e.getValue().size(); i++) {
                    out.put(e.getKey() + "." + i, tensor(m, e.getValue().get(i), e.getKey() + "." + i));
                }
            } else {
                out.put(e.getKey(), tensor(m, e.getValue(), e.getKey()));
            }
        }
        return out;
    }
}
