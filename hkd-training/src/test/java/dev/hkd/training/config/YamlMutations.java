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
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Random hostile edits of a valid YAML configuration, for property-based tests of everything that
 * reads one (run configs here, grids in hkd-runner): values of the wrong type, out of range, huge
 * or holding path characters ({@code /}, {@code ..}, a newline); keys added, removed or written
 * twice; aliases, tags and stray characters in the text; {@code --set} overrides of the same kinds.
 *
 * <pre>{@code
 * @Property(tries = 1000)
 * void anyMutationIsReadOrRefused(@ForAll("mutations") YamlMutations.Edit edit) {
 *     Files.writeString(file, edit.apply(validTree()));
 * }
 * @Provide Arbitrary<YamlMutations.Edit> mutations() { return YamlMutations.edits(); }
 * }</pre>
 */
public final class YamlMutations {

    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build();

    /** Key names worth adding: real keys (in the wrong place, or again) and strange ones. */
    private static final List<String> KEYS = List.of("seed", "epochs", "batch_size", "milestones", "lr", "model",
            "output", "dataset", "train_limit", "image_size", "name", "weights", "options", "kd", "temperature", "dir",
            "checkpoint", "trials", "sweep", "base", "extends", "zip", "slurm", "__proto__", "", " ", "a.b", "<<", "../x");

    private YamlMutations() {
    }

    /** One edit to a tree-level kind ({@code SET}, {@code ADD}, {@code REMOVE}) or a text-level one. */
    public enum Kind { SET, ADD, REMOVE, DUPLICATE, ALIAS, TAG, NOISE }

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

    public static Arbitrary<Edit> edits() {
        return mutation().list().ofMinSize(1).ofMaxSize(4).map(Edit::new);
    }

    /** {@code --set} arguments: real and strange key paths, hostile values, and malformed arguments. */
    public static Arbitrary<List<String>> overrides() {
        Arbitrary<String> key = Arbitraries.oneOf(
                Arbitraries.of("seed", "training.batch_size", "training.schedule.epochs", "training.schedule.milestones",
                        "training.optimizer.lr", "method.name", "method.weights.kd", "method.options.kd.temperature",
                        "data.train_limit", "data.image_size", "output", "student.model", "teacher.seed", "seed.x",
                        ".", "", "a..b", "x.", " seed", "data.dataset.x.y"),
                Arbitraries.strings().withChars("abc._-+/\n =").ofMaxLength(12));
        Arbitrary<String> value = Arbitraries.oneOf(scalarText(), hostileValue().map(YamlMutations::flow));
        Arbitrary<String> argument = Arbitraries.oneOf(
                Combinators.combine(key, value).as((k, v) -> k + "=" + v),
                Arbitraries.strings().ofMaxLength(20),
                Arbitraries.of("=", "==", "seed", "seed=", "=1"));
        return argument.list().ofMaxSize(3);
    }

    private static Arbitrary<Mutation> mutation() {
        Arbitrary<Integer> pick = Arbitraries.integers().between(0, 10_000);
        Arbitrary<Mutation> tree = Combinators.combine(Arbitraries.of(Kind.SET, Kind.ADD, Kind.REMOVE), pick, hostileValue())
                .as((k, p, v) -> new Mutation(k, p, k == Kind.REMOVE ? null : v, null));
        Arbitrary<Mutation> text = Combinators.combine(Arbitraries.of(Kind.DUPLICATE, Kind.ALIAS, Kind.TAG, Kind.NOISE), pick, noise())
                .as((k, p, n) -> new Mutation(k, p, null, k == Kind.NOISE || k == Kind.TAG ? n : null));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, tree), net.jqwik.api.Tuple.of(2, text));
    }

    /** Values of every type, at and beyond every range, huge, and strings with path characters. */
    public static Arbitrary<JsonNode> hostileValue() {
        Arbitrary<JsonNode> integers = Arbitraries.of(0L, 1L, -1L, 2L, 7L, 64L, 65536L, 65537L, 2147483647L, 2147483648L,
                4294967297L, -2147483649L, Long.MAX_VALUE, Long.MIN_VALUE, 9007199254740991L, 9007199254740992L, 100_001L)
                .map(NODES::numberNode);
        Arbitrary<JsonNode> bigIntegers = Arbitraries.of("18446744073709551617", "1" + "0".repeat(40), "9".repeat(900))
                .map(s -> NODES.numberNode(new BigInteger(s)));
        Arbitrary<JsonNode> decimals = Arbitraries.of("2.5", "0.5", "-0.0", "1e400", "-1e400", "1e-400", "1e10", "3.0",
                "1e308", "4.9e-324", "0.05", "1e39")
                .map(s -> NODES.numberNode(new BigDecimal(s)));
        Arbitrary<JsonNode> strings = Arbitraries.oneOf(
                Arbitraries.of("", " ", "abc", "3", "true", "null", "~", "/", "/tmp/x", "..", "../../../../tmp/x", "a/../b",
                        "a\nb", "line\n  injected: 1", "kd+", "+", "kd++crd", "vanilla", "kd", "fmnist_cnn", "*x", "&x",
                        "!!binary", "${HOME}", "$(touch /tmp/hkd-owned)", "`id`", "C:\\x", "\u0000", "\u2028", "é/ü",
                        "x".repeat(300), ".inf", "NaN", "1e400", "-1", "2147483648"),
                Arbitraries.strings().ofMaxLength(30))
                .map(NODES::textNode);
        // A value beyond the scalar bound: rare, as writing and reading it costs milliseconds.
        Arbitrary<JsonNode> huge = Arbitraries.of(StrictYaml.MAX_SCALAR_CHARS - 1, StrictYaml.MAX_SCALAR_CHARS + 1)
                .map(n -> NODES.textNode("y".repeat(n)));
        Arbitrary<JsonNode> flags = Arbitraries.of(true, false).map(NODES::booleanNode);
        Arbitrary<JsonNode> nulls = Arbitraries.just(NODES.nullNode());
        Arbitrary<JsonNode> scalars = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(30, integers),
                net.jqwik.api.Tuple.of(10, bigIntegers), net.jqwik.api.Tuple.of(30, decimals), net.jqwik.api.Tuple.of(60, strings),
                net.jqwik.api.Tuple.of(10, flags), net.jqwik.api.Tuple.of(10, nulls), net.jqwik.api.Tuple.of(1, huge));
        Arbitrary<JsonNode> lists = scalars.list().ofMaxSize(4).map(l -> {
            ArrayNode a = NODES.arrayNode();
            l.forEach(a::add);
            return a;
        });
        Arbitrary<JsonNode> maps = Combinators.combine(Arbitraries.of(KEYS), scalars).as((k, v) -> {
            ObjectNode o = NODES.objectNode();
            o.set(k, v);
            return (JsonNode) o;
        });
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, scalars), net.jqwik.api.Tuple.of(1, lists),
                net.jqwik.api.Tuple.of(1, maps));
    }

    private static Arbitrary<String> scalarText() {
        return Arbitraries.of("1", "2.5", "1e400", "-1", "4294967297", "\"abc\"", "true", "[3]", "{a: 1}", "null", "~",
                "*x", "&a 1", "!!binary AAAA", "[1, 2", "{", "'", "a: b: c", "\n", "x\ny", "");
    }

    private static Arbitrary<String> noise() {
        return Arbitraries.oneOf(
                Arbitraries.of("\n", "/", "..", ":", ": ", "- ", "{", "}", "[", "]", "&a ", "*a", "!", "!!binary ", "#",
                        "\t", "\"", "'", "%YAML 1.1\n", "@", "`", "|", ">", "\u0000", "\u2028", "\uFEFF", "---\n", "...\n",
                        "<<: *a\n", "? ", ",", "!!java.io.File ", "!<tag:yaml.org,2002:java.net.URL> "),
                Arbitraries.strings().ofMaxLength(8));
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
                List<Integer> scalars = keyed.stream().filter(i -> lines.get(i).matches(".*: \\S.*")).toList();
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
