package dev.hkd.training.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random hostile edits of a valid YAML configuration, for property-based tests of everything that
 * reads one (run configs here, grids in hkd-runner): values of the wrong type, out of range, huge
 * or holding path characters ({@code /}, {@code ..}, a newline); keys added, removed or written
 * twice; aliases, tags and stray characters in the text; {@code --set} overrides of the same kinds.
 *
 * <p>Every draw takes a {@link SplittableRandom} (one per try, see {@link SeededTries}), so the
 * same seed gives the same edits.
 *
 * <pre>{@code
 * SeededTries.run("ConfigMutationPropertyTest", 1000,
 *         random -> YamlMutations.edit(random).apply(validTree()),
 *         text -> readOrRefuse(text));
 * }</pre>
 */
public final class YamlMutations {

    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build();

    /** Key names worth adding: real keys (in the wrong place, or again) and strange ones. */
    private static final List<String> KEYS = List.of(
            "seed",
            "epochs",
            "batch_size",
            "milestones",
            "lr",
            "model",
            "output",
            "dataset",
            "train_limit",
            "image_size",
            "name",
            "weights",
            "options",
            "kd",
            "temperature",
            "dir",
            "checkpoint",
            "trials",
            "sweep",
            "base",
            "extends",
            "zip",
            "slurm",
            "__proto__",
            "",
            " ",
            "a.b",
            "<<",
            "../x");

    private YamlMutations() {}

    /** One edit to a tree-level kind ({@code SET}, {@code ADD}, {@code REMOVE}) or a text-level one. */
    public enum Kind {
        SET,
        ADD,
        REMOVE,
        DUPLICATE,
        ALIAS,
        TAG,
        NOISE
    }

    /** One edit; {@code pick} chooses the key or line (modulo their number), {@code noise} the stray text. */
    public record Mutation(Kind kind, int pick, JsonNode value, String noise) {

        boolean onTree() {
            return kind == Kind.SET || kind == Kind.ADD || kind == Kind.REMOVE;
        }

        @Override
        public String toString() {
            String v = value == null ? "" : " " + shorten(value.toString());
            return kind + "#" + pick + v + (noise == null ? "" : " '" + shorten(noise) + "'");
        }
    }

    /** Up to four mutations, tree-level ones first, applied to a copy of a tree and written as YAML. */
    public record Edit(List<Mutation> mutations) {

        public String apply(ObjectNode valid) {
            ObjectNode tree = valid.deepCopy();
            List<Mutation> ordered = new ArrayList<>(mutations);
            ordered.sort(Comparator.comparing(m -> m.onTree() ? 0 : 1));
            String text = null;
            for (Mutation m : ordered) {
                if (m.onTree()) {
                    onTree(tree, m);
                } else {
                    if (text == null) {
                        text = write(tree);
                    }
                    text = onText(text, m);
                }
            }
            return text == null ? write(tree) : text;
        }
    }

    /** One to four mutations. */
    public static Edit edit(SplittableRandom random) {
        int count = SeededTries.between(random, 1, 4);
        List<Mutation> mutations = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            mutations.add(mutation(random));
        }
        return new Edit(List.copyOf(mutations));
    }

    /** Up to three {@code --set} arguments: real and strange key paths, hostile values, and malformed arguments. */
    public static List<String> overrides(SplittableRandom random) {
        int count = random.nextInt(4);
        List<String> arguments = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            arguments.add(override(random));
        }
        return List.copyOf(arguments);
    }

    private static String override(SplittableRandom random) {
        return switch (random.nextInt(3)) {
            case 0 ->
                overrideKey(random) + "=" + (random.nextBoolean() ? scalarText(random) : flow(hostileValue(random)));
            case 1 -> SeededTries.anyString(random, 20);
            default -> SeededTries.oneOf(random, "=", "==", "seed", "seed=", "=1");
        };
    }

    private static String overrideKey(SplittableRandom random) {
        return random.nextBoolean()
                ? SeededTries.oneOf(
                        random,
                        "seed",
                        "training.batch_size",
                        "training.schedule.epochs",
                        "training.schedule.milestones",
                        "training.optimizer.lr",
                        "method.name",
                        "method.weights.kd",
                        "method.options.kd.temperature",
                        "data.train_limit",
                        "data.image_size",
                        "output",
                        "student.model",
                        "teacher.seed",
                        "seed.x",
                        ".",
                        "",
                        "a..b",
                        "x.",
                        " seed",
                        "data.dataset.x.y")
                : SeededTries.stringOf(random, "abc._-+/\n =", 12);
    }

    /** A tree edit three times in five, a text edit otherwise. */
    private static Mutation mutation(SplittableRandom random) {
        int pick = SeededTries.between(random, 0, 10_000);
        if (SeededTries.chance(random, 3, 5)) {
            Kind k = SeededTries.oneOf(random, Kind.SET, Kind.ADD, Kind.REMOVE);
            return new Mutation(k, pick, k == Kind.REMOVE ? null : hostileValue(random), null);
        }
        Kind k = SeededTries.oneOf(random, Kind.DUPLICATE, Kind.ALIAS, Kind.TAG, Kind.NOISE);
        return new Mutation(k, pick, null, k == Kind.NOISE || k == Kind.TAG ? noise(random) : null);
    }

    /** Values of every type, at and beyond every range, huge, and strings with path characters. */
    public static JsonNode hostileValue(SplittableRandom random) {
        // Scalars four times in six, a list of up to four scalars or a one-key mapping once each.
        return switch (random.nextInt(6)) {
            case 0 -> {
                ArrayNode a = NODES.arrayNode();
                int n = random.nextInt(5);
                for (int i = 0; i < n; i++) {
                    a.add(scalar(random));
                }
                yield a;
            }
            case 1 -> {
                ObjectNode o = NODES.objectNode();
                o.set(SeededTries.oneOf(random, KEYS), scalar(random));
                yield o;
            }
            default -> scalar(random);
        };
    }

    /** Weighted like the kinds of value a person writes: strings most, then numbers, then the rest. */
    private static JsonNode scalar(SplittableRandom random) {
        int w = random.nextInt(151);
        if (w < 30) {
            return NODES.numberNode(SeededTries.oneOf(
                    random,
                    0L,
                    1L,
                    -1L,
                    2L,
                    7L,
                    64L,
                    65536L,
                    65537L,
                    2147483647L,
                    2147483648L,
                    4294967297L,
                    -2147483649L,
                    Long.MAX_VALUE,
                    Long.MIN_VALUE,
                    9007199254740991L,
                    9007199254740992L,
                    100_001L));
        } else if (w < 40) {
            return NODES.numberNode(new BigInteger(
                    SeededTries.oneOf(random, "18446744073709551617", "1" + "0".repeat(40), "9".repeat(900))));
        } else if (w < 70) {
            return NODES.numberNode(new BigDecimal(SeededTries.oneOf(
                    random,
                    "2.5",
                    "0.5",
                    "-0.0",
                    "1e400",
                    "-1e400",
                    "1e-400",
                    "1e10",
                    "3.0",
                    "1e308",
                    "4.9e-324",
                    "0.05",
                    "1e39")));
        } else if (w < 130) {
            return NODES.textNode(
                    random.nextBoolean()
                            ? SeededTries.oneOf(
                                    random,
                                    "",
                                    " ",
                                    "abc",
                                    "3",
                                    "true",
                                    "null",
                                    "~",
                                    "/",
                                    "/tmp/x",
                                    "..",
                                    "../../../../tmp/x",
                                    "a/../b",
                                    "a\nb",
                                    "line\n  injected: 1",
                                    "kd+",
                                    "+",
                                    "kd++crd",
                                    "vanilla",
                                    "kd",
                                    "fmnist_cnn",
                                    "*x",
                                    "&x",
                                    "!!binary",
                                    "${HOME}",
                                    "$(touch /tmp/hkd-owned)",
                                    "`id`",
                                    "C:\\x",
                                    "\u0000",
                                    "\u2028",
                                    "é/ü",
                                    "x".repeat(300),
                                    ".inf",
                                    "NaN",
                                    "1e400",
                                    "-1",
                                    "2147483648")
                            : SeededTries.anyString(random, 30));
        } else if (w < 140) {
            return NODES.booleanNode(random.nextBoolean());
        } else if (w < 150) {
            return NODES.nullNode();
        }
        // A value beyond the scalar bound: rare, as writing and reading it costs milliseconds.
        return NODES.textNode("y"
                .repeat(SeededTries.oneOf(random, StrictYaml.MAX_SCALAR_CHARS - 1, StrictYaml.MAX_SCALAR_CHARS + 1)));
    }

    private static String scalarText(SplittableRandom random) {
        return SeededTries.oneOf(
                random,
                "1",
                "2.5",
                "1e400",
                "-1",
                "4294967297",
                "\"abc\"",
                "true",
                "[3]",
                "{a: 1}",
                "null",
                "~",
                "*x",
                "&a 1",
                "!!binary AAAA",
                "[1, 2",
                "{",
                "'",
                "a: b: c",
                "\n",
                "x\ny",
                "");
    }

    private static String noise(SplittableRandom random) {
        return random.nextBoolean()
                ? SeededTries.oneOf(
                        random,
                        "\n",
                        "/",
                        "..",
                        ":",
                        ": ",
                        "- ",
                        "{",
                        "}",
                        "[",
                        "]",
                        "&a ",
                        "*a",
                        "!",
                        "!!binary ",
                        "#",
                        "\t",
                        "\"",
                        "'",
                        "%YAML 1.1\n",
                        "@",
                        "`",
                        "|",
                        ">",
                        "\u0000",
                        "\u2028",
                        "\uFEFF",
                        "---\n",
                        "...\n",
                        "<<: *a\n",
                        "? ",
                        ",",
                        "!!java.io.File ",
                        "!<tag:yaml.org,2002:java.net.URL> ")
                : SeededTries.anyString(random, 8);
    }

    private static void onTree(ObjectNode tree, Mutation m) {
        List<List<String>> paths = new ArrayList<>();
        collect(tree, new ArrayList<>(), paths);
        if (paths.isEmpty()) {
            return;
        }
        List<String> path = paths.get(m.pick() % paths.size());
        switch (m.kind()) {
            case SET -> put(tree, path, m.value());
            case ADD -> {
                List<List<String>> mappings = new ArrayList<>();
                mappings.add(List.of());
                for (List<String> p : paths) {
                    if (at(tree, p) instanceof ObjectNode) {
                        mappings.add(p);
                    }
                }
                List<String> into = new ArrayList<>(mappings.get(m.pick() % mappings.size()));
                into.add(KEYS.get(m.pick() % KEYS.size()));
                put(tree, into, m.value());
            }
            default -> remove(tree, path);
        }
    }

    private static String onText(String text, Mutation m) {
        List<String> lines = new ArrayList<>(text.lines().toList());
        List<Integer> keyed = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            // Long lines (a huge value) are left alone: the patterns below would backtrack over them.
            if (lines.get(i).length() < 500 && lines.get(i).matches("\\s*(- )?[^\\s:#][^:]*:( .*)?")) {
                keyed.add(i);
            }
        }
        switch (m.kind()) {
            case DUPLICATE -> {
                if (!keyed.isEmpty()) {
                    int i = keyed.get(m.pick() % keyed.size());
                    String line = lines.get(i).replaceFirst("^(\\s*)- ", "$1  ");
                    lines.add(i + 1, line);
                }
            }
            case ALIAS -> {
                List<Integer> scalars = keyed.stream()
                        .filter(i -> lines.get(i).matches(".*: \\S.*"))
                        .toList();
                if (!scalars.isEmpty()) {
                    int a = scalars.get(m.pick() % scalars.size());
                    int b = scalars.get((m.pick() / 7) % scalars.size());
                    lines.set(a, lines.get(a).replaceFirst(": ", ": &a "));
                    lines.set(b, lines.get(b).replaceFirst(": (&a )?.*$", ": *a"));
                }
            }
            case TAG -> {
                if (!keyed.isEmpty()) {
                    int i = keyed.get(m.pick() % keyed.size());
                    String tag = m.pick() % 2 == 0 ? "!!binary " : "!<tag:yaml.org,2002:java.io.File> ";
                    lines.set(i, lines.get(i).replaceFirst(": ", ": " + tag));
                }
            }
            default -> {
                String joined = String.join("\n", lines) + "\n";
                int at = m.pick() % (joined.length() + 1);
                return joined.substring(0, at) + m.noise() + joined.substring(at);
            }
        }
        return String.join("\n", lines) + "\n";
    }

    private static void collect(JsonNode node, List<String> prefix, List<List<String>> out) {
        if (node instanceof ObjectNode o) {
            o.fieldNames().forEachRemaining(k -> {
                List<String> p = new ArrayList<>(prefix);
                p.add(k);
                out.add(p);
                collect(o.get(k), p, out);
            });
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                List<String> p = new ArrayList<>(prefix);
                p.add("[" + i + "]");
                out.add(p);
                collect(a.get(i), p, out);
            }
        }
    }

    private static JsonNode at(JsonNode root, List<String> path) {
        JsonNode n = root;
        for (String k : path) {
            n = k.startsWith("[") ? n.get(Integer.parseInt(k.substring(1, k.length() - 1))) : n.get(k);
        }
        return n;
    }

    private static void put(ObjectNode root, List<String> path, JsonNode value) {
        JsonNode parent = at(root, path.subList(0, path.size() - 1));
        String last = path.get(path.size() - 1);
        if (parent instanceof ObjectNode o) {
            o.set(last, value.deepCopy());
        } else if (parent instanceof ArrayNode a && last.startsWith("[")) {
            a.set(Integer.parseInt(last.substring(1, last.length() - 1)), value.deepCopy());
        }
    }

    private static void remove(ObjectNode root, List<String> path) {
        JsonNode parent = at(root, path.subList(0, path.size() - 1));
        String last = path.get(path.size() - 1);
        if (parent instanceof ObjectNode o) {
            o.remove(last);
        } else if (parent instanceof ArrayNode a && last.startsWith("[")) {
            a.remove(Integer.parseInt(last.substring(1, last.length() - 1)));
        }
    }

    /** Writes a tree as block YAML. */
    public static String write(JsonNode tree) {
        try {
            return YAML.writeValueAsString(tree);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A value as YAML flow text, for a {@code --set} argument. */
    private static String flow(JsonNode value) {
        return value.isTextual() ? value.asText() : value.toString();
    }

    private static String shorten(String s) {
        String one = s.replace("\n", "\\n");
        return one.length() > 60 ? one.substring(0, 60) + "…(" + one.length() + ")" : one;
    }
}
