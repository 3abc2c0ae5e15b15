package dev.hkd.training.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The one parser of {@code --set key.path=value} overrides, for run configs and grids alike. The
 * key is dot-separated names (letters, digits, {@code _ - +}); the value is YAML read by
 * {@link StrictYaml} (a scalar or a flow collection: {@code training.schedule.milestones=[5, 8]}).
 *
 * <pre>{@code
 * List<Overrides.Entry> set = Overrides.parse(List.of("method.name=crd+kd", "seed=3"));
 * Overrides.apply(tree, set);                        // ConfigException on a bad key or value
 * }</pre>
 */
public final class Overrides {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_+-]+");

    /** One override: the argument as written, its key path and its value. */
    public record Entry(String text, List<String> keys, JsonNode value) {

        /** {@code --set key=value}, as errors name it. */
        public String where() {
            return "--set " + text;
        }

        /** Whether this override set {@code path} or a mapping holding it. */
        public boolean covers(List<String> path) {
            return path.size() >= keys.size() && path.subList(0, keys.size()).equals(keys);
        }
    }

    private Overrides() {}

    public static List<Entry> parse(List<String> arguments) {
        List<Entry> entries = new ArrayList<>();
        for (String text : arguments) {
            entries.add(parse(text));
        }
        return entries;
    }

    public static Entry parse(String text) {
        String shown = text.length() > 80 ? text.substring(0, 80) + "…" : text;
        int eq = text.indexOf('=');
        if (eq <= 0) {
            throw ConfigException.at("--set " + shown, 0, "", "expected key.path=value");
        }
        String key = text.substring(0, eq).trim();
        List<String> keys = keys(key, "--set " + shown);
        JsonNode value = StrictYaml.readValue(text.substring(eq + 1), "--set " + shown);
        return new Entry(text, List.copyOf(keys), value);
    }

    /** Lays each override over {@code tree}, creating the mappings on its path. */
    public static void apply(ObjectNode tree, List<Entry> entries) {
        for (Entry e : entries) {
            set(tree, e.keys(), e.value(), e.where());
        }
    }

    /**
     * Sets {@code keys} of {@code tree} to {@code value}, creating missing (or null) mappings on
     * the way; a value in the way is an error naming {@code where} (an override, a grid axis).
     */
    public static void set(ObjectNode tree, List<String> keys, JsonNode value, String where) {
        ObjectNode node = tree;
        for (int i = 0; i < keys.size() - 1; i++) {
            String k = keys.get(i);
            JsonNode child = node.get(k);
            if (child == null || child.isNull()) {
                child = node.putObject(k);
            } else if (!child.isObject()) {
                throw ConfigException.at(
                        where,
                        0,
                        ConfigException.keyPath(keys.subList(0, i + 1)),
                        "is a value, not a mapping, so it has no key '" + keys.get(i + 1) + "'");
            }
            node = (ObjectNode) child;
        }
        node.set(keys.get(keys.size() - 1), value.deepCopy());
    }

    /** Whether {@code path} is dot-separated names of letters, digits, {@code _ - +}. */
    public static boolean isKeyPath(String path) {
        return Arrays.stream(path.split("\\.", -1))
                .allMatch(k -> NAME.matcher(k).matches());
    }

    /** A key path as written in a grid axis ({@code method.options.kd.temperature}), checked as an override's. */
    public static List<String> keys(String path, String where) {
        List<String> keys = Arrays.asList(path.split("\\.", -1));
        for (String k : keys) {
            if (!NAME.matcher(k).matches()) {
                throw ConfigException.at(
                        where,
                        0,
                        "",
                        "the key '" + path + "' is not a key path of names of letters,"
                                + " digits, '_', '-' or '+' between dots");
            }
        }
        return List.copyOf(keys);
    }
}
