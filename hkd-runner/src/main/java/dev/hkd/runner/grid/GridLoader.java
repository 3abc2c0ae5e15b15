package dev.hkd.runner.grid;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hkd.runner.run.ConfigHash;
import dev.hkd.training.config.ConfigException;
import dev.hkd.training.config.ConfigLoader;
import dev.hkd.training.config.RunConfig;
import dev.hkd.training.config.YamlKeyLocator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads grid files ({@link Grid}) and expands them into {@link Cell}s. {@code extends:} names a
 * grid whose settings this file's override (deep merge); {@code --set key=value} overrides apply
 * to the base. Errors name the file, line and key path.
 */
public final class GridLoader {

    private static final Set<String> KEYS = Set.of("extends", "name", "base", "sweep", "zip", "trials", "output", "slurm",
            "cohorts");

    private GridLoader() {
    }

    public static Grid load(Path file, List<String> overrides) {
        ObjectNode tree = merged(file, new java.util.HashSet<>());
        for (Iterator<String> it = tree.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                throw error(file, List.of(key), "unknown key '" + key + "'; valid keys: " + String.join(", ", new java.util.TreeSet<>(KEYS)));
            }
        }
        ObjectNode base = tree.has("base") && tree.get("base").isObject() ? (ObjectNode) tree.get("base").deepCopy()
                : ConfigLoader.mapper().createObjectNode();
        for (String o : overrides) {
            int eq = o.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException("--set " + o + ": expected key.path=value");
            }
            try {
                setPath(base, o.substring(0, eq).trim(), ConfigLoader.mapper().readTree(o.substring(eq + 1)));
            } catch (JsonProcessingException e) {
                throw new ConfigException("--set " + o + ": the value is not valid YAML");
            }
        }
        Map<String, List<JsonNode>> sweep = axes(file, tree.get("sweep"), List.of("sweep"));
        List<Map<String, List<JsonNode>>> zip = new ArrayList<>();
        JsonNode zipNode = tree.get("zip");
        if (zipNode != null && !zipNode.isNull()) {
            if (!zipNode.isArray()) {
                throw error(file, List.of("zip"), "must be a list of groups of axes that vary together");
            }
            for (JsonNode group : zipNode) {
                Map<String, List<JsonNode>> axes = axes(file, group, List.of("zip"));
                int size = -1;
                for (Map.Entry<String, List<JsonNode>> e : axes.entrySet()) {
                    if (size >= 0 && e.getValue().size() != size) {
                        throw error(file, List.of("zip"), "axes of one zip group need lists of equal length; '" + e.getKey()
                                + "' has " + e.getValue().size() + ", the others " + size);
                    }
                    size = e.getValue().size();
                }
                zip.add(axes);
            }
        }
        int trials = tree.path("trials").asInt(1);
        if (trials < 1) {
            throw error(file, List.of("trials"), "must be >= 1, got " + tree.get("trials"));
        }
        String name = tree.path("name").asText(file.getFileName().toString().replaceFirst("\\.ya?ml$", ""));
        Path output = Path.of(tree.path("output").asText("runs/" + name));
        Map<String, String> slurm = new LinkedHashMap<>();
        tree.path("slurm").fields().forEachRemaining(e -> {
            if (!SlurmExecutor.KEYS.contains(e.getKey())) {
                throw error(file, List.of("slurm", e.getKey()), "unknown key; valid keys: " + String.join(", ", SlurmExecutor.KEYS));
            }
            if (!e.getValue().isValueNode()) {
                throw error(file, List.of("slurm", e.getKey()), "expected a single value, got " + e.getValue());
            }
            slurm.put(e.getKey(), e.getValue().asText());
        });
        for (String numeric : List.of("cpus_per_task", "max_parallel", "poll_seconds")) {
            if (slurm.containsKey(numeric) && !slurm.get(numeric).matches("[1-9][0-9]*")) {
                throw error(file, List.of("slurm", numeric), "must be a positive integer, got '" + slurm.get(numeric) + "'");
            }
        }
        JsonNode cohorts = tree.path("cohorts");
        if (!cohorts.isMissingNode() && !cohorts.isNull() && !cohorts.isBoolean()) {
            throw error(file, List.of("cohorts"), "must be true or false, got " + cohorts);
        }
        return new Grid(file, name, base, sweep, zip, trials, output, slurm, cohorts.asBoolean(false));
    }

    /** The file with its {@code extends} chain applied, the file's own values winning. */
    private static ObjectNode merged(Path file, Set<Path> seen) {
        Path real = file.toAbsolutePath().normalize();
        if (!seen.add(real)) {
            throw new ConfigException(file + ": 'extends' forms a cycle");
        }
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(file + ": no such grid file");
        }
        JsonNode node;
        try {
            node = ConfigLoader.mapper().readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw ConfigLoader.describe(file, e);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read (" + e.getMessage() + ")");
        }
        if (node == null || !node.isObject()) {
            throw new ConfigException(file + ": expected a mapping at the top level");
        }
        ObjectNode tree = (ObjectNode) node;
        JsonNode parent = tree.remove("extends");
        if (parent == null) {
            return tree;
        }
        ObjectNode merged = merged(file.toAbsolutePath().getParent().resolve(parent.asText()), seen);
        deepMerge(merged, tree);
        return merged;
    }

    private static void deepMerge(ObjectNode into, ObjectNode from) {
        from.fields().forEachRemaining(e -> {
            JsonNode existing = into.get(e.getKey());
            if (existing instanceof ObjectNode o && e.getValue() instanceof ObjectNode f) {
                deepMerge(o, f);
            } else {
                into.set(e.getKey(), e.getValue().deepCopy());
            }
        });
    }

    private static Map<String, List<JsonNode>> axes(Path file, JsonNode node, List<String> where) {
        Map<String, List<JsonNode>> axes = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return axes;
        }
        if (!node.isObject()) {
            throw error(file, where, "must map key paths to lists of values");
        }
        node.fields().forEachRemaining(e -> {
            if (!e.getValue().isArray() || e.getValue().isEmpty()) {
                List<String> keys = new ArrayList<>(where);
                keys.add(e.getKey());
                throw error(file, keys, "axis '" + e.getKey() + "' needs a non-empty list of values");
            }
            List<JsonNode> values = new ArrayList<>();
            e.getValue().forEach(values::add);
            axes.put(e.getKey(), values);
        });
        return axes;
    }

    /** Every cell: each zip position × the cartesian product of the sweep × trials. */
    public static List<Cell> cells(Grid grid) {
        List<Map<String, JsonNode>> combos = new ArrayList<>();
        combos.add(new LinkedHashMap<>());
        for (Map<String, List<JsonNode>> group : grid.zip()) {
            int n = group.values().iterator().next().size();
            List<Map<String, JsonNode>> next = new ArrayList<>();
            for (Map<String, JsonNode> c : combos) {
                for (int i = 0; i < n; i++) {
                    Map<String, JsonNode> m = new LinkedHashMap<>(c);
                    for (Map.Entry<String, List<JsonNode>> e : group.entrySet()) {
                        m.put(e.getKey(), e.getValue().get(i));
                    }
                    next.add(m);
                }
            }
            combos = next;
        }
        for (Map.Entry<String, List<JsonNode>> axis : grid.sweep().entrySet()) {
            List<Map<String, JsonNode>> next = new ArrayList<>();
            for (Map<String, JsonNode> c : combos) {
                for (JsonNode v : axis.getValue()) {
                    Map<String, JsonNode> m = new LinkedHashMap<>(c);
                    m.put(axis.getKey(), v);
                    next.add(m);
                }
            }
            combos = next;
        }
        List<Cell> cells = new ArrayList<>();
        long baseSeed = grid.base().path("seed").asLong(1);
        for (Map<String, JsonNode> combo : combos) {
            for (int trial = 0; trial < grid.trials(); trial++) {
                ObjectNode tree = grid.base().deepCopy();
                combo.forEach((k, v) -> setPath(tree, k, v));
                tree.put("seed", baseSeed + trial);
                tree.remove("output");
                RunConfig withoutOutput = bind(grid, cells.size(), combo, tree);
                String hash = ConfigHash.identity(withoutOutput);
                tree.put("output", grid.output().resolve(folderName(combo, baseSeed + trial, hash)).toString());
                cells.add(new Cell(cells.size(), combo, trial, bind(grid, cells.size(), combo, tree), hash));
            }
        }
        return cells;
    }

    private static String folderName(Map<String, JsonNode> combo, long seed, String hash) {
        StringBuilder sb = new StringBuilder();
        // Mappings, lists (e.g. a method's options) and unset values stay out of the name; the hash tells such cells apart.
        combo.values().stream().filter(v -> v.isValueNode() && !v.isNull()).forEach(v -> sb.append(v.asText()).append('_'));
        return (sb + "seed" + seed + "_" + hash.substring(0, 8)).replaceAll("[^A-Za-z0-9+._-]", "-");
    }

    private static RunConfig bind(Grid grid, int index, Map<String, JsonNode> combo, ObjectNode tree) {
        try {
            return ConfigLoader.mapper().treeToValue(tree, RunConfig.class);
        } catch (JsonProcessingException e) {
            String message = ConfigLoader.describe(null, e).getMessage().replaceFirst("^:\\d*:? ?", "");
            throw new ConfigException(grid.file() + ": cell " + index + " (" + combo + "): " + message);
        }
    }

    private static void setPath(ObjectNode root, String path, JsonNode value) {
        String[] keys = path.split("\\.");
        ObjectNode node = root;
        for (int i = 0; i < keys.length - 1; i++) {
            JsonNode child = node.get(keys[i]);
            if (!(child instanceof ObjectNode)) {
                child = node.putObject(keys[i]);
            }
            node = (ObjectNode) child;
        }
        node.set(keys[keys.length - 1], value.deepCopy());
    }

    private static ConfigException error(Path file, List<String> keys, String message) {
        int line = YamlKeyLocator.line(file, keys);
        return new ConfigException(file + (line > 0 ? ":" + line : "") + ": " + String.join(".", keys) + ": " + message);
    }
}
