package dev.hkd.runner.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * A paper's table to set beside ours: one table of a {@code paper-tables.json} file (e.g.
 * {@code hkd_iccv2021_table1}) with {@code pairs} [{teacher, student}], {@code rows}
 * (method → [[mean, std] per pair]; "student" is the vanilla student) and {@code ari_percent}.
 */
public final class PaperTable {

    private final Map<String, Double> accuracy = new HashMap<>();
    private final Map<String, Double> ari = new HashMap<>();
    /** Methods in the order the paper's rows list them ("student" as {@code vanilla}). */
    private final LinkedHashSet<String> methods = new LinkedHashSet<>();

    private PaperTable() {}

    /**
     * The tables named in {@code tables} (comma-separated; null: every table of the file that has
     * {@code pairs} and {@code rows}), merged; where two give a number for the same method and pair,
     * the first one named wins.
     */
    public static PaperTable load(Path file, String tables) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read as JSON ("
                    + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        List<String> names = new ArrayList<>();
        if (tables == null) {
            root.fieldNames().forEachRemaining(n -> {
                if (isTable(root.path(n))) {
                    names.add(n);
                }
            });
        } else {
            Arrays.stream(tables.split(","))
                    .map(String::trim)
                    .filter(n -> !n.isEmpty())
                    .forEach(names::add);
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException(file + ": holds no table with 'pairs' and 'rows'");
        }
        PaperTable p = new PaperTable();
        for (String name : names) {
            JsonNode t = root.path(name);
            if (!isTable(t)) {
                throw new IllegalArgumentException(
                        file + ": no table '" + name + "' with 'pairs' and 'rows'; tables there: "
                                + String.join(", ", (Iterable<String>) root::fieldNames));
            }
            p.add(t);
        }
        return p;
    }

    private static boolean isTable(JsonNode t) {
        return t.path("pairs").isArray() && t.path("rows").isObject();
    }

    private void add(JsonNode t) {
        JsonNode pairs = t.get("pairs");
        for (Iterator<Map.Entry<String, JsonNode>> it = t.get("rows").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> row = it.next();
            String method = row.getKey().equals("student") ? "vanilla" : row.getKey();
            methods.add(method);
            for (int i = 0; i < pairs.size() && i < row.getValue().size(); i++) {
                String pair = pairs.get(i).path("teacher").asText() + " → "
                        + pairs.get(i).path("student").asText();
                JsonNode cell = row.getValue().get(i);
                if (cell == null || cell.isNull()) {
                    continue; // not reported for this pair
                }
                accuracy.putIfAbsent(
                        method + "|" + pair, cell.isArray() ? cell.get(0).asDouble() : cell.asDouble());
            }
        }
        t.path("ari_percent")
                .fields()
                .forEachRemaining(e -> ari.putIfAbsent(e.getKey(), e.getValue().asDouble()));
    }

    /** The paper's mean top-1 of the method on the pair, or null. */
    public Double accuracy(String method, String pair) {
        return accuracy.get(method + "|" + pair);
    }

    /** The paper's ARI (%) of the method, or null. */
    /** The methods in the paper's row order. */
    public List<String> methods() {
        return List.copyOf(methods);
    }

    public Double ari(String method) {
        return ari.get(method);
    }
}
