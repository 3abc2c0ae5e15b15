package dev.hkd.runner.grid;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hkd.runner.run.ConfigHash;
import dev.hkd.runner.run.ContainedPath;
import dev.hkd.training.config.ConfigException;
import dev.hkd.training.config.ConfigLoader;
import dev.hkd.training.config.Overrides;
import dev.hkd.training.config.RunConfig;
import dev.hkd.training.config.StrictScalars;
import dev.hkd.training.config.YamlKeyLocator;
import dev.hkd.training.models.ModelZoo;
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

    /** The most trials a grid may ask for (seeds seed … seed + trials − 1). */
    public static final int MAX_TRIALS = 1000;
    /** The most cells one grid may expand to. */
    public static final int MAX_CELLS = 100_000;

    private static final Set<String> KEYS =
            Set.of("extends", "name", "base", "sweep", "zip", "trials", "output", "slurm", "cohorts");

    private GridLoader() {}

    public static Grid load(Path file, List<String> overrides) {
        ObjectNode tree = merged(file, new java.util.HashSet<>());
        for (Iterator<String> it = tree.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                throw error(
                        file,
                        List.of(key),
                        "unknown key '" + key + "'; valid keys: " + String.join(", ", new java.util.TreeSet<>(KEYS)));
            }
        }
        if (tree.hasNonNull("base") && !tree.get("base").isObject()) {
            throw error(file, List.of("base"), "must be a run configuration (a mapping), got " + tree.get("base"));
        }
        ObjectNode base = tree.has("base") && tree.get("base").isObject()
                ? (ObjectNode) tree.get("base").deepCopy()
                : ConfigLoader.mapper().createObjectNode();
        // Where cells go is the grid's own 'output:'; a cell's output would be dropped without a word.
        if (base.has("output")) {
            throw error(
                    file,
                    List.of("base", "output"),
                    "cells are stored under the grid's top-level 'output:' (one folder per" + " cell); move it there");
        }
        for (String o : overrides) {
            if (o.indexOf('=') > 0 && o.substring(0, o.indexOf('=')).trim().equals("output")) {
                throw new ConfigException(
                        "--set " + o + ": a grid's cells are stored under its top-level 'output:', which --set"
                                + " does not change; edit the grid file (or train one cell: ./hkd train CELL/config.yaml --set output=DIR)");
            }
        }
        Overrides.apply(base, Overrides.parse(overrides));
        Map<String, List<JsonNode>> sweep = axes(file, tree.get("sweep"), List.of("sweep"));
        List<Map<String, List<JsonNode>>> zip = new ArrayList<>();
        JsonNode zipNode = tree.get("zip");
        if (zipNode != null && !zipNode.isNull()) {
            if (!zipNode.isArray()) {
                throw error(file, List.of("zip"), "must be a list of groups of axes that vary together");
            }
            for (JsonNode group : zipNode) {
                Map<String, List<JsonNode>> axes = axes(file, group, List.of("zip"));
                if (axes.isEmpty()) {
                    throw error(file, List.of("zip"), "a zip group needs at least one axis (key path: [values])");
                }
                int size = -1;
                for (Map.Entry<String, List<JsonNode>> e : axes.entrySet()) {
                    if (size >= 0 && e.getValue().size() != size) {
                        throw error(
                                file,
                                List.of("zip"),
                                "axes of one zip group need lists of equal length; '" + e.getKey() + "' has "
                                        + e.getValue().size() + ", the others " + size);
                    }
                    size = e.getValue().size();
                }
                zip.add(axes);
            }
        }
        int trials = tree.has("trials") ? (int) integer(file, List.of("trials"), tree.get("trials"), 1, MAX_TRIALS) : 1;
        long cells = trials;
        for (Map<String, List<JsonNode>> group : zip) {
            cells *= group.isEmpty() ? 1 : group.values().iterator().next().size();
            requireFewCells(file, cells);
        }
        for (List<JsonNode> values : sweep.values()) {
            cells *= values.size();
            requireFewCells(file, cells);
        }
        if (base.has("seed")) {
            integer(file, List.of("base", "seed"), base.get("seed"), 0, RunConfig.MAX_SEED - trials + 1);
        }
        String name = text(file, tree, "name", file.getFileName().toString().replaceFirst("\\.ya?ml$", ""));
        Path output = tree.hasNonNull("output")
                ? Path.of(text(file, tree, "output", null))
                : ContainedPath.child(Path.of("runs"), name, file + ": name");
        Map<String, String> slurm = new LinkedHashMap<>();
        JsonNode slurmNode = tree.get("slurm");
        if (slurmNode != null && !slurmNode.isNull() && !slurmNode.isObject()) {
            throw error(
                    file,
                    List.of("slurm"),
                    "must map sbatch settings to values; valid keys: " + String.join(", ", SlurmExecutor.KEYS));
        }
        tree.path("slurm").fields().forEachRemaining(e -> {
            if (!SlurmExecutor.KEYS.contains(e.getKey())) {
                throw error(
                        file,
                        List.of("slurm", e.getKey()),
                        "unknown key; valid keys: " + String.join(", ", SlurmExecutor.KEYS));
            }
            if (!e.getValue().isTextual() && !e.getValue().isIntegralNumber()) {
                throw error(file, List.of("slurm", e.getKey()), "expected a single value, got " + e.getValue());
            }
            String problem = SlurmExecutor.problem(e.getKey(), e.getValue().asText());
            if (problem != null) {
                throw error(file, List.of("slurm", e.getKey()), problem);
            }
            slurm.put(e.getKey(), e.getValue().asText());
        });
        JsonNode cohorts = tree.path("cohorts");
        if (!cohorts.isMissingNode() && !cohorts.isNull() && !cohorts.isBoolean()) {
            throw error(file, List.of("cohorts"), "must be true or false, got " + cohorts);
        }
        return new Grid(file, name, base, sweep, zip, trials, output, slurm, cohorts.asBoolean(false));
    }

    private static void requireFewCells(Path file, long cells) {
        if (cells > MAX_CELLS) {
            throw error(
                    file, List.of(), "sweep, zip and trials give more than " + MAX_CELLS + " cells; split the grid");
        }
    }

    /** An integer read by the strict reader, its refusal naming the file, line and key. */
    private static long integer(Path file, List<String> keys, JsonNode node, long min, long max) {
        try {
            return StrictScalars.integer(node, min, max);
        } catch (StrictScalars.NodeRefusal e) {
            throw error(file, keys, e.getMessage());
        }
    }

    /**
     * A top-level string ({@code name}, {@code output}): a mapping, a list, an empty string or one
     * with control characters is refused rather than read as "" (which put every cell in the working folder).
     */
    private static String text(Path file, ObjectNode tree, String key, String absent) {
        JsonNode node = tree.get(key);
        if (node == null || node.isNull()) {
            return absent;
        }
        if (!node.isTextual() || node.asText().isBlank()) {
            throw error(
                    file,
                    List.of(key),
                    "must be a non-empty string, got " + (node.isTextual() ? "''" : node.toString()));
        }
        if (node.asText().chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw error(
                    file,
                    List.of(key),
                    "'" + ContainedPath.printable(node.asText()) + "' contains a control character");
        }
        return node.asText();
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
        ObjectNode tree = ConfigLoader.readMapping(file);
        JsonNode parent = tree.get("extends");
        if (parent == null) {
            return tree;
        }
        if (!parent.isTextual() || parent.asText().isBlank()) {
            throw error(file, List.of("extends"), "expected the path of a grid file, got " + parent);
        }
        tree.remove("extends");
        Path parentFile = file.toAbsolutePath().getParent().resolve(parent.asText());
        if (!Files.isRegularFile(parentFile)) {
            // Named from the file that extends it: a missing parent is this file's error, at its line.
            throw error(file, List.of("extends"), "no such grid file: " + parentFile);
        }
        ObjectNode merged = merged(parentFile, seen);
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
            List<String> keys = new ArrayList<>(where);
            keys.add(e.getKey());
            if (e.getKey().equals("output")) {
                throw error(
                        file,
                        keys,
                        "cannot be an axis: each cell's folder is named by its values under the grid's 'output:'");
            }
            if (!Overrides.isKeyPath(e.getKey())) {
                throw error(
                        file,
                        keys,
                        "'" + e.getKey() + "' is not a key path (names of letters, digits, '_', '-'"
                                + " or '+' between dots)");
            }
            if (!e.getValue().isArray() || e.getValue().isEmpty()) {
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
        Map<String, Integer> byHash = new java.util.HashMap<>();
        for (Map<String, JsonNode> combo : combos) {
            // A swept seed is the first seed of the combination's trials, as base.seed is otherwise.
            long firstSeed = combo.containsKey("seed") ? seed(grid, combo.get("seed")) : baseSeed;
            for (int trial = 0; trial < grid.trials(); trial++) {
                ObjectNode tree = grid.base().deepCopy();
                combo.forEach((k, v) -> setPath(grid, tree, k, v));
                tree.put("seed", firstSeed + trial);
                tree.remove("output");
                RunConfig withoutOutput = bind(grid, cells.size(), combo, tree);
                requireModels(grid, cells.size(), combo, withoutOutput);
                String hash = ConfigHash.identity(withoutOutput);
                Integer same = byHash.putIfAbsent(hash, cells.size());
                if (same != null) {
                    throw new ConfigException(
                            grid.file() + ": cells " + same + " and " + cells.size() + " are the same run (config hash "
                                    + hash + ", seed " + (firstSeed + trial)
                                    + "): two trials would count one run twice; make the axes' values"
                                    + " (and seeds with trials) distinct");
                }
                tree.put(
                        "output",
                        ContainedPath.child(
                                        grid.output(),
                                        folderName(combo, firstSeed + trial, hash),
                                        grid.file() + ": cell " + cells.size())
                                .toString());
                cells.add(new Cell(cells.size(), combo, trial, bind(grid, cells.size(), combo, tree), hash));
            }
        }
        return cells;
    }

    private static long seed(Grid grid, JsonNode value) {
        return integer(grid.file(), List.of("sweep", "seed"), value, 0, RunConfig.MAX_SEED - grid.trials() + 1);
    }

    private static String folderName(Map<String, JsonNode> combo, long seed, String hash) {
        StringBuilder sb = new StringBuilder();
        // Mappings, lists (e.g. a method's options) and unset values stay out of the name; the hash tells such cells
        // apart.
        combo.values().stream()
                .filter(v -> v.isValueNode() && !v.isNull())
                .forEach(v -> sb.append(v.asText()).append('_'));
        return (sb + "seed" + seed + "_" + hash.substring(0, 8)).replaceAll("[^A-Za-z0-9+._-]", "-");
    }

    /**
     * Binds one cell; an error names the grid file and the key, at the line of the axis that set it
     * (or of the base's key), and the cell.
     */
    private static RunConfig bind(Grid grid, int index, Map<String, JsonNode> combo, ObjectNode tree) {
        try {
            return ConfigLoader.mapper().treeToValue(tree, RunConfig.class);
        } catch (JsonProcessingException e) {
            ConfigLoader.Problem problem = ConfigLoader.problem(e);
            List<String> names =
                    problem.keys().stream().filter(k -> !k.startsWith("[")).toList();
            throw ConfigException.at(
                    grid.file().toString(),
                    lineSetting(grid, combo, names),
                    ConfigException.keyPath(problem.keys()),
                    problem.text() + " (cell " + index + ": " + combo + ")");
        }
    }

    /** The line of the grid file that set the key path {@code names}: its axis, or else the base's key. */
    private static int lineSetting(Grid grid, Map<String, JsonNode> combo, List<String> names) {
        List<String> at = new ArrayList<>(List.of("base"));
        at.addAll(names);
        for (String axis : combo.keySet()) {
            List<String> keys = Overrides.keys(axis, grid.file().toString());
            if (names.size() >= keys.size() && names.subList(0, keys.size()).equals(keys)) {
                at = grid.sweep().containsKey(axis) ? List.of("sweep", axis) : List.of("zip");
            }
        }
        return YamlKeyLocator.line(grid.file(), at);
    }

    /**
     * Refuses a cell whose student or teacher is no model of the zoo before any folder is named
     * or made for it: the grid file, the line of the axis or base key that set it, the cell.
     */
    private static void requireModels(Grid grid, int index, Map<String, JsonNode> combo, RunConfig config) {
        if (!ModelZoo.contains(config.student().model())) {
            throw modelError(
                    grid, index, combo, "student.model", config.student().model());
        }
        if (config.teacher() != null
                && config.teacher().savedModel() == null
                && !ModelZoo.contains(config.teacher().model())) {
            throw modelError(
                    grid, index, combo, "teacher.model", config.teacher().model());
        }
    }

    private static ConfigException modelError(
            Grid grid, int index, Map<String, JsonNode> combo, String key, String model) {
        return ConfigException.at(
                grid.file().toString(),
                lineSetting(grid, combo, Overrides.keys(key, grid.file().toString())),
                key,
                ModelZoo.unknownModelMessage(model) + " (cell " + index + ": " + combo + ")");
    }

    private static void setPath(Grid grid, ObjectNode root, String path, JsonNode value) {
        Overrides.set(root, Overrides.keys(path, grid.file().toString()), value, grid.file() + ": axis " + path);
    }

    private static ConfigException error(Path file, List<String> keys, String message) {
        return ConfigException.at(file, keys, message);
    }
}
