package dev.hkd.training.config;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads YAML configuration into records: the text through {@link StrictYaml} (duplicate keys,
 * aliases and oversized input refused), {@code --set} overrides through {@link Overrides}, every
 * scalar through {@link StrictScalars}. Every error becomes one line formatted by
 * {@link ConfigException#at}: {@code FILE:LINE: key.path: what is wrong; what would be valid}.
 */
public final class ConfigLoader {

    private static final ObjectMapper MAPPER = newMapper();

    private ConfigLoader() {}

    /** The mapper used for all configuration: snake_case, strict about unknown keys, types and nulls in lists. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    private static ObjectMapper newMapper() {
        ObjectMapper m = YAMLMapper.builder(new YAMLFactory())
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .addModule(StrictScalars.module())
                .build();
        // [8, null] is not a list of milestones, {kd: null} not a weight.
        m.setDefaultSetterInfo(JsonSetter.Value.forContentNulls(Nulls.FAIL));
        return m;
    }

    public static RunConfig loadRun(Path file) {
        return loadRun(file, List.of());
    }

    /**
     * Loads a run config with {@code key.path=value} overrides laid over the file (values are
     * YAML scalars or flow collections, e.g. {@code method.name=crd+kd},
     * {@code training.schedule.milestones=[5, 8]}).
     */
    public static RunConfig loadRun(Path file, List<String> overrides) {
        List<Overrides.Entry> set = Overrides.parse(overrides);
        ObjectNode tree = readMapping(file);
        Overrides.apply(tree, set);
        return bind(tree, RunConfig.class, file, set);
    }

    public static <T> T load(Path file, Class<T> type) {
        return bind(readMapping(file), type, file, List.of());
    }

    /** The file's top-level mapping, read strictly ({@link StrictYaml}). */
    public static ObjectNode readMapping(Path file) {
        JsonNode root = StrictYaml.read(file);
        if (root == null) {
            throw new ConfigException(file + ": the file is empty");
        }
        if (!root.isObject()) {
            throw ConfigException.at(file.toString(), 1, "", "expected a mapping of keys at the top level");
        }
        return (ObjectNode) root;
    }

    /**
     * Binds a tree to {@code type}; errors name {@code file} (null: none) and its line, or the
     * override that set the offending key.
     */
    public static <T> T bind(JsonNode tree, Class<T> type, Path file, List<Overrides.Entry> set) {
        try {
            return MAPPER.treeToValue(tree, type);
        } catch (JsonProcessingException e) {
            throw describe(file, set, e);
        } catch (IllegalArgumentException e) {
            throw ConfigException.at(file, List.of(), StrictYaml.firstLine(e.getMessage()));
        }
    }

    /** What a binding error says, and at which key path ({@code [training, milestones, [1]]}). */
    public record Problem(List<String> keys, String text) {}

    /** Turns a Jackson error into a one-line {@link ConfigException} for {@code source} (null when the YAML did not come from a file). */
    public static ConfigException describe(Path source, JsonProcessingException e) {
        return describe(source, List.of(), e);
    }

    private static ConfigException describe(Path source, List<Overrides.Entry> set, JsonProcessingException e) {
        Problem p = problem(e);
        List<String> names = p.keys().stream().filter(k -> !k.startsWith("[")).toList();
        for (int i = set.size() - 1; i >= 0; i--) {
            if (set.get(i).covers(names)) {
                String where =
                        (source == null ? "" : source + ", ") + set.get(i).where();
                return ConfigException.at(where, 0, ConfigException.keyPath(p.keys()), p.text());
            }
        }
        return ConfigException.at(source, p.keys(), p.text());
    }

    /** The key path and the one-line problem of a binding error, for callers that name the source themselves. */
    public static Problem problem(JsonProcessingException e) {
        List<String> keys = new ArrayList<>();
        if (e instanceof JsonMappingException mapping) {
            keys.addAll(keys(mapping.getPath()));
        }
        if (e instanceof UnrecognizedPropertyException u) {
            String valid = u.getKnownPropertyIds() == null
                    ? ""
                    : u.getKnownPropertyIds().stream()
                            .map(Object::toString)
                            .sorted()
                            .collect(Collectors.joining(", "));
            return new Problem(keys, "unknown key" + (valid.isEmpty() ? "" : "; valid keys here: " + valid));
        }
        if (e instanceof ValueInstantiationException v) {
            Throwable cause = v.getCause() != null ? v.getCause() : v;
            if (cause instanceof Check.Failure f) {
                keys.add(f.key());
                return new Problem(keys, f.problem());
            }
            return new Problem(keys, StrictYaml.firstLine(cause.getMessage()));
        }
        if (e instanceof StrictScalars.Refusal r) {
            return new Problem(keys, r.getOriginalMessage());
        }
        if (e instanceof InvalidNullException) {
            return new Problem(keys, "null is not allowed here; write a value or leave the entry out");
        }
        if (e instanceof MismatchedInputException m) {
            return new Problem(
                    keys,
                    "expected " + typeName(m.getTargetType()) + " (" + StrictYaml.firstLine(m.getOriginalMessage())
                            + ")");
        }
        return new Problem(keys, "invalid: " + StrictYaml.firstLine(e.getOriginalMessage()));
    }

    private static List<String> keys(List<JsonMappingException.Reference> references) {
        List<String> keys = new ArrayList<>();
        for (JsonMappingException.Reference r : references) {
            if (r.getFieldName() != null) {
                keys.add(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                keys.add("[" + r.getIndex() + "]");
            }
        }
        return keys;
    }

    private static String typeName(Class<?> type) {
        if (type == null) {
            return "a value";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (type == Double.class || type == double.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (java.util.Map.class.isAssignableFrom(type)) {
            return "a mapping";
        }
        return "a mapping (" + type.getSimpleName().replace("Config", "").toLowerCase() + " settings)";
    }
}
