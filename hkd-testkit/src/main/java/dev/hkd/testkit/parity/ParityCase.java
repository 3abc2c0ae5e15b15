package dev.hkd.testkit.parity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One reference case of {@code shared/parity/losses} (format: its README): tensors are
 * {@code {"shape": [...], "data": [...]}} in row-major order, computed in float64 by the authors'
 * code. Floating tensors are loaded as float32, since that is what training computes in.
 */
public record ParityCase(Path file, JsonNode root) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static ParityCase read(Path file) {
        try {
            return new ParityCase(file, JSON.readTree(file.toFile()));
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": not a readable JSON parity case (" + e.getMessage() + ")");
        }
    }

    public String name() {
        return root.path("name").asText(file.getFileName().toString());
    }

    public String method() {
        return root.path("method").asText("");
    }

    public JsonNode params() {
        return root.path("params");
    }

    public double param(String key) {
        JsonNode v = root.path("params").path(key);
        if (!v.isNumber()) {
            throw new IllegalArgumentException(file + ": params." + key + " is missing or not a number");
        }
        return v.asDouble();
    }

    /** {@code expected.<key>}, a number the reference computed; a missing key fails with the file's name. */
    public double expected(String key) {
        JsonNode v = root.path("expected").path(key);
        if (!v.isNumber()) {
            throw new IllegalArgumentException(file + ": expected." + key + " is missing or not a number");
        }
        return v.asDouble();
    }

    /** The input tensor {@code inputs.<key>}, recording its gradient when {@code differentiable}. */
    public NDArray input(NDManager manager, String key, boolean differentiable) {
        NDArray a = tensor(manager, root.path("inputs"), key, "inputs");
        a.setRequiresGradient(differentiable);
        return a;
    }

    /** The list of input tensors {@code inputs.<key>} (one per stage), recording gradients when {@code differentiable}. */
    public List<NDArray> inputs(NDManager manager, String key, boolean differentiable) {
        return tensors(manager, root.path("inputs").path(key), "inputs." + key, differentiable);
    }

    /** The reference's gradient {@code expected.grad.<key>}. */
    public NDArray expectedGradient(NDManager manager, String key) {
        return tensor(manager, root.path("expected").path("grad"), key, "expected.grad");
    }

    /** The reference's gradients {@code expected.grad.<key>}, a list (one per stage). */
    public List<NDArray> expectedGradients(NDManager manager, String key) {
        return tensors(manager, root.path("expected").path("grad").path(key), "expected.grad." + key, false);
    }

    /**
     * A non-empty list of tensors ({@code what} names it in the error), each recording its
     * gradient when {@code differentiable}: a missing list is refused, never read as no stages.
     */
    public static List<NDArray> tensors(NDManager manager, JsonNode list, String what, boolean differentiable) {
        if (!list.isArray() || list.isEmpty()) {
            throw new IllegalArgumentException("missing tensor list " + what);
        }
        List<NDArray> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            NDArray a = tensor(manager, list.get(i), what + "[" + i + "]");
            a.setRequiresGradient(differentiable);
            out.add(a);
        }
        return out;
    }

    /** The {@code steps} of a stateful case, or the whole case as its only step. */
    public List<JsonNode> steps() {
        List<JsonNode> out = new ArrayList<>();
        if (root.has("steps")) {
            root.get("steps").forEach(out::add);
        } else {
            out.add(root);
        }
        return out;
    }

    /** A float tensor as float32 (int tensors stay int64). */
    public static NDArray tensor(NDManager manager, JsonNode node, String what) {
        if (node == null || !node.path("shape").isArray() || !node.path("data").isArray()) {
            throw new IllegalArgumentException(what + " is not a tensor {\"shape\": [...], \"data\": [...]}");
        }
        JsonNode shapeNode = node.get("shape");
        long[] dims = new long[shapeNode.size()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = shapeNode.get(i).asLong();
        }
        JsonNode data = node.get("data");
        boolean integral = true;
        for (JsonNode v : data) {
            if (!v.isIntegralNumber()) {
                integral = false;
                break;
            }
        }
        Shape shape = new Shape(dims);
        if (integral && data.size() > 0) {
            long[] values = new long[data.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = data.get(i).asLong();
            }
            return manager.create(values, shape);
        }
        double[] values = new double[data.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = data.get(i).asDouble();
        }
        return manager.create(values, shape).toType(DataType.FLOAT32, false);
    }

    /** The tensor at {@code node[key]}. */
    public static NDArray tensor(NDManager manager, JsonNode parent, String key, String what) {
        return tensor(manager, parent.get(key), what + "." + key);
    }
}
