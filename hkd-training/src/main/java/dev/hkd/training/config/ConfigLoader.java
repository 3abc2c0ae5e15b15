package dev.hkd.training.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads YAML configuration into records. Every error becomes one line:
 * {@code FILE:LINE: key 'a.b': what is wrong — what would be valid}.
 */
public final class ConfigLoader {

    private static final ObjectMapper MAPPER = newMapper();

    private ConfigLoader() {
    }

    /** The mapper used for all configuration: snake_case, strict about unknown keys and types. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    private static ObjectMapper newMapper() {
        return YAMLMapper.builder(new YAMLFactory())
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(com.fasterxml.jackson.databind.MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .build();
    }

    public static RunConfig loadRun(Path file) {
        return load(file, RunConfig.class);
    }

    /**
     * Loads a run config with {@code key.path=value} overrides laid over the file (values are
     * YAML scalars or flow collections, e.g. {@code method.name=crd+kd},
     * {@code training.schedule.milestones=[5, 8]}).
     */
    public static RunConfig loadRun(Path file, java.util.List<String> overrides) {
        if (overrides.isEmpty()) {
            return loadRun(file);
        }
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(file + ": no such config file");
        }
        com.fasterxml.jackson.databind.node.ObjectNode tree;
        try {
            com.fasterxml.jackson.databind.JsonNode root = MAPPER.readTree(file.toFile());
            if (root == null || !root.isObject()) {
                throw new ConfigException(file + ": expected a mapping at the top level");
            }
            tree = (com.fasterxml.jackson.databind.node.ObjectNode) root;
        } catch (JsonProcessingException e) {
            throw describe(file, e);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read (" + e.getMessage() + ")");
        }
        for (String override : overrides) {
            int eq = override.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException("--set " + override + ": expected key.path=value");
            }
            String[] keys = override.substring(0, eq).trim().split("\\.");
            com.fasterxml.jackson.databind.JsonNode value;
            try {
                value = MAPPER.readTree(override.substring(eq + 1));
            } catch (JsonProcessingException e) {
                throw new ConfigException("--set " + override + ": the value is not valid YAML");
            }
            com.fasterxml.jackson.databind.node.ObjectNode node = tree;
            for (int i = 0; i < keys.length - 1; i++) {
                com.fasterxml.jackson.databind.JsonNode child = node.get(keys[i]);
                if (child == null || !child.isObject()) {
                    child = node.putObject(keys[i]);
                }
                node = (com.fasterxml.jackson.databind.node.ObjectNode) child;
            }
            node.set(keys[keys.length - 1], value == null ? com.fasterxml.jackson.databind.node.NullNode.instance : value);
        }
        try {
            return MAPPER.treeToValue(tree, RunConfig.class);
        } catch (JsonProcessingException e) {
            ConfigException described = describe(null, e);
            throw new ConfigException(file + " with --set " + String.join(" --set ", overrides)
                    + described.getMessage().replaceFirst("^:\\d*", ""));
        }
    }

    public static <T> T load(Path file, Class<T> type) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(file + ": no such config file");
        }
        try {
            T value = MAPPER.readValue(file.toFile(), type);
            if (value == null) {
                throw new ConfigException(file + ": the file is empty");
            }
            return value;
        } catch (JsonProcessingException e) {
            throw describe(file, e);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read (" + e.getMessage() + ")");
        }
    }

    /**
     * Turns a Jackson error into a one-line {@link ConfigException} for {@code source} (null when
     * the YAML did not come from a file). The line is that of the offending key when the error
     * names one (Jackson's YAML positions point past it), else the parser's.
     */
    public static ConfigException describe(Path source, JsonProcessingException e) {
        int line = 0;
        if (source != null && e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            line = YamlKeyLocator.line(source, keys(mapping.getPath()));
        }
        String where = (source == null ? "" : source.toString())
                + (line > 0 ? ":" + line : source == null ? "" : location(e.getLocation()));
        if (e instanceof UnrecognizedPropertyException u) {
            String valid = u.getKnownPropertyIds() == null ? "" : u.getKnownPropertyIds().stream()
                    .map(Object::toString).sorted().collect(Collectors.joining(", "));
            return new ConfigException(where + ": unknown key '" + path(u.getPath()) + "'"
                    + (valid.isEmpty() ? "" : "; valid keys here: " + valid));
        }
        if (e instanceof ValueInstantiationException v) {
            Throwable cause = v.getCause() != null ? v.getCause() : v;
            String key = path(v.getPath());
            String message = cause.getMessage();
            return new ConfigException(where + ": " + (key.isEmpty() ? "" : "in '" + key + "': ") + message);
        }
        if (e instanceof InvalidFormatException f) {
            return new ConfigException(where + ": key '" + path(f.getPath()) + "': '" + f.getValue()
                    + "' is not a valid " + typeName(f.getTargetType()));
        }
        if (e instanceof MismatchedInputException m) {
            return new ConfigException(where + ": key '" + path(m.getPath()) + "': expected "
                    + typeName(m.getTargetType()) + firstLine(m.getOriginalMessage()));
        }
        return new ConfigException(where + ": invalid YAML: " + firstLine(e.getOriginalMessage()).replaceFirst("^ \\(", "").replaceFirst("\\)$", ""));
    }

    private static String location(JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? "" : ":" + location.getLineNr();
    }

    private static List<String> keys(List<JsonMappingException.Reference> references) {
        List<String> keys = new java.util.ArrayList<>();
        for (JsonMappingException.Reference r : references) {
            if (r.getFieldName() != null) {
                keys.add(r.getFieldName());
            }
        }
        return keys;
    }

    static String path(List<JsonMappingException.Reference> references) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : references) {
            if (r.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String typeName(Class<?> type) {
        if (type == null) {
            return "value";
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
        return "a mapping (" + type.getSimpleName().replace("Config", "").toLowerCase() + " settings)";
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        String line = message.lines().findFirst().orElse("").trim();
        return " (" + line + ")";
    }
}
