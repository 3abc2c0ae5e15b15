package dev.hkd.experiments.parity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hkd.training.io.SafeTensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@code trajectories/<case>/} folder of the reference parity cases: N consecutive SGD steps of
 * the authors' {@code train_distill} loop (format: the cases' README). {@code case.json} describes
 * the run and the per-step losses; {@code init.safetensors} holds the data, the batches, the
 * contrast indices and every starting tensor; {@code expected.safetensors} every tensor after the
 * last step.
 */
record TrajectoryCase(Path dir, JsonNode json, Map<String, NDArray> init, Map<String, NDArray> expected) {

    static final String CASE_FILE = "case.json";
    /** The per-step values of {@code expected_per_step}, in the order they are compared. */
    static final List<String> STEP_VALUES = List.of("loss", "ce", "kd", "method");

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Whether {@code dir} is a trajectory case folder. */
    static boolean isCase(Path dir) {
        return Files.isRegularFile(dir.resolve(CASE_FILE));
    }

    static TrajectoryCase read(Path dir, NDManager manager) {
        JsonNode json;
        try {
            json = JSON.readTree(dir.resolve(CASE_FILE).toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(dir.resolve(CASE_FILE) + ": not readable JSON (" + e.getMessage() + ")");
        }
        if (!json.path("kind").asText("").equals("trajectory")) {
            throw new IllegalArgumentException(
                    dir.resolve(CASE_FILE) + ": kind '" + json.path("kind").asText("")
                            + "' is not a kind of case this runner knows (expected 'trajectory')");
        }
        Map<String, NDArray> init =
                SafeTensors.read(dir.resolve("init.safetensors"), manager).tensors();
        Map<String, NDArray> expected =
                SafeTensors.read(dir.resolve("expected.safetensors"), manager).tensors();
        return new TrajectoryCase(dir, json, new LinkedHashMap<>(init), expected);
    }

    String name() {
        return json.path("name").asText(dir.getFileName().toString());
    }

    String method() {
        return text("method");
    }

    String teacher() {
        return text("teacher");
    }

    String student() {
        return text("student");
    }

    int numClasses() {
        return (int) number(json, "num_classes");
    }

    int steps() {
        return (int) number(json, "steps");
    }

    int batchSize() {
        return (int) number(json, "batch_size");
    }

    /** {@code ce}, {@code kd} and {@code method}: γ, α and β. */
    double weight(String key) {
        return number(json.path("weights"), key);
    }

    JsonNode params() {
        return json.path("params");
    }

    JsonNode optimizer() {
        return json.path("optimizer");
    }

    /** The reference's value of {@code key} ({@link #STEP_VALUES}) before step {@code step} (0-based). */
    double expectedAt(String key, int step) {
        JsonNode values = json.path("expected_per_step").path(key);
        if (!values.isArray() || values.size() != steps()) {
            throw new IllegalArgumentException(
                    where() + ": expected_per_step." + key + " must list " + steps() + " values");
        }
        return values.get(step).asDouble();
    }

    /** Removes and returns an init tensor; what is left at the end was not understood. */
    NDArray takeInit(String key) {
        NDArray value = init.remove(key);
        if (value == null) {
            throw new IllegalArgumentException(where() + ": init.safetensors lacks '" + key + "'");
        }
        return value;
    }

    /** The init tensors under {@code prefix}, removed, with the prefix stripped. */
    Map<String, NDArray> takeInitUnder(String prefix) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        init.keySet().removeIf(k -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), init.get(k));
                return true;
            }
            return false;
        });
        return out;
    }

    String where() {
        return dir.getFileName().toString();
    }

    private String text(String key) {
        JsonNode v = json.path(key);
        if (!v.isTextual() || v.asText().isBlank()) {
            throw new IllegalArgumentException(where() + ": case.json lacks '" + key + "'");
        }
        return v.asText();
    }

    static double number(JsonNode parent, String key) {
        JsonNode v = parent.path(key);
        if (!v.isNumber()) {
            throw new IllegalArgumentException("case.json: '" + key + "' must be a number");
        }
        return v.asDouble();
    }
}
