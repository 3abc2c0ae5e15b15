package dev.hkd.runner.grid;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hkd.training.config.RunConfig;
import dev.hkd.training.io.RunFolder;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One run of a grid: its position, the axis values that make it, its configuration and the hash
 * that names its folder (so re-running a grid finds its finished and interrupted cells).
 */
public record Cell(int index, Map<String, JsonNode> values, int trial, RunConfig config, String hash) {

    /** Where the cell's run writes. */
    public Path folder() {
        return Path.of(config.output());
    }

    /** The cell's run folder, which names every file in it. */
    public RunFolder run() {
        return new RunFolder(folder());
    }

    /** {@code method.name=kd student.model=fmnist_cnn seed=2}. */
    public String describe() {
        String axes = values.entrySet().stream()
                .map(e -> e.getKey() + "=" + text(e.getValue()))
                .collect(Collectors.joining(" "));
        // A swept seed is among the axes already.
        return (axes.isEmpty() || (values.containsKey("seed") && trial == 0) ? axes : axes + " ")
                + (values.containsKey("seed") && trial == 0 ? "" : "seed=" + config.seed());
    }

    private static String text(JsonNode v) {
        return v.isTextual() ? v.asText() : v.toString();
    }
}
