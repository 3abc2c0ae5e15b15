package dev.hkd.training.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The one reader of YAML text for configurations and grids. It builds the tree itself, token by
 * token, so that what YAML would silently resolve is refused with the file, line and key:
 * <ul>
 *   <li>a key written twice in one mapping (YAML lets the last win);</li>
 *   <li>an alias ({@code *name}), which the YAML parser would hand over as the anchor's name;</li>
 *   <li>files over {@value #MAX_FILE_BYTES} bytes, scalars over {@value #MAX_SCALAR_CHARS}
 *       characters and nesting deeper than {@value #MAX_DEPTH} (a configuration is small: these
 *       bound the time and memory a hostile file can take).</li>
 * </ul>
 * Numbers are kept exact ({@code 1e400} stays {@code 1e400}, {@code 4294967297} stays itself), so
 * that {@link StrictScalars} can refuse what does not fit instead of rounding or wrapping it.
 *
 * <pre>{@code
 * JsonNode tree = StrictYaml.read(Path.of("run.yaml"));    // ConfigException on any of the above
 * }</pre>
 */
public final class StrictYaml {

    /** The largest configuration or grid file read. */
    public static final int MAX_FILE_BYTES = 1 << 20;
    /** The longest scalar (and the longest {@code --set} value). */
    public static final int MAX_SCALAR_CHARS = 1 << 16;
    /** The deepest nesting of mappings and lists. */
    public static final int MAX_DEPTH = 64;

    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);
    private static final YAMLFactory FACTORY = YAMLFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(MAX_SCALAR_CHARS)
                    .maxNumberLength(1000)
                    .maxNestingDepth(4 * MAX_DEPTH)
                    .build())
            .build();

    private StrictYaml() {}

    /** The file's tree; {@code null} when the file holds no document. */
    public static JsonNode read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(file + ": no such file");
        }
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new ConfigException(
                        file + ": " + size + " bytes; a configuration may hold at most " + MAX_FILE_BYTES + " bytes");
            }
            byte[] bytes;
            try (InputStream in = Files.newInputStream(file)) {
                // Read at most one byte more than the bound, in case the file grew since size().
                bytes = in.readNBytes(MAX_FILE_BYTES + 1);
            }
            if (bytes.length > MAX_FILE_BYTES) {
                throw new ConfigException(
                        file + ": more than " + MAX_FILE_BYTES + " bytes; a configuration may hold" + " at most that");
            }
            try (JsonParser p = FACTORY.createParser(bytes)) {
                return document(p, file.toString(), true);
            }
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read (" + firstLine(e.getMessage()) + ")");
        }
    }

    /**
     * One value written on the command line ({@code source} names it in errors, e.g.
     * {@code --set a.b=[1, 2]}): the same rules as a file.
     */
    public static JsonNode readValue(String text, String source) {
        if (text.length() > MAX_SCALAR_CHARS) {
            throw new ConfigException(source.substring(0, Math.min(source.length(), 60)) + "…: the value has "
                    + text.length() + " characters; at most " + MAX_SCALAR_CHARS);
        }
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonNode node = document(p, source, false);
            return node == null ? NODES.nullNode() : node;
        } catch (IOException e) {
            throw new ConfigException(source + ": the value is not valid YAML (" + firstLine(e.getMessage()) + ")");
        }
    }

    private static JsonNode document(JsonParser p, String source, boolean lines) throws IOException {
        try {
            JsonToken first = p.nextToken();
            if (first == null) {
                return null;
            }
            JsonNode root = value(p, first, new Where(source, lines), new ArrayList<>());
            if (p.nextToken() != null) {
                throw refusal(
                        new Where(source, lines),
                        p,
                        List.of(),
                        "holds more than one YAML document; a configuration is one");
            }
            return root;
        } catch (JsonProcessingException e) {
            int line = !lines || e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new ConfigException(
                    source + (line > 0 ? ":" + line : "") + ": invalid YAML: " + firstLine(e.getOriginalMessage()));
        }
    }

    private static JsonNode value(JsonParser p, JsonToken t, Where source, List<String> keys) throws IOException {
        if (p instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
            throw refusal(
                    source,
                    p,
                    keys,
                    "the alias *" + p.getText() + " is not supported; write the value out" + " (or quote it if '*"
                            + p.getText() + "' is meant as text)");
        }
        if (keys.size() > MAX_DEPTH) {
            throw refusal(source, p, keys, "nested deeper than " + MAX_DEPTH + " levels");
        }
        return switch (t) {
            case START_OBJECT -> mapping(p, source, keys);
            case START_ARRAY -> list(p, source, keys);
            case VALUE_STRING -> text(p, source, keys);
            case VALUE_NUMBER_INT -> integer(p.getBigIntegerValue());
            case VALUE_NUMBER_FLOAT -> number(p, source, keys);
            case VALUE_TRUE -> NODES.booleanNode(true);
            case VALUE_FALSE -> NODES.booleanNode(false);
            case VALUE_NULL -> NODES.nullNode();
            default -> throw refusal(source, p, keys, "unexpected YAML content (" + t + ")");
        };
    }

    private static JsonNode text(JsonParser p, Where source, List<String> keys) throws IOException {
        String s = p.getText();
        if (s.length() > MAX_SCALAR_CHARS) {
            throw refusal(source, p, keys, "a value of " + s.length() + " characters; at most " + MAX_SCALAR_CHARS);
        }
        return NODES.textNode(s);
    }

    private static JsonNode integer(BigInteger v) {
        if (v.bitLength() < 32) {
            return NODES.numberNode(v.intValue());
        }
        return v.bitLength() < 64 ? NODES.numberNode(v.longValue()) : NODES.numberNode(v);
    }

    /**
     * A number with a fraction or an exponent: a double node when a double holds it (as Jackson's
     * own reader would give), else the exact decimal, which {@link StrictScalars} then refuses
     * ({@code 1e400} would be infinity, {@code 1e-400} zero).
     */
    private static JsonNode number(JsonParser p, Where source, List<String> keys) throws IOException {
        try {
            BigDecimal exact = p.getDecimalValue();
            double d = exact.doubleValue();
            boolean fits = !Double.isInfinite(d) && (d != 0 || exact.signum() == 0);
            return fits ? NODES.numberNode(d) : NODES.numberNode(exact);
        } catch (NumberFormatException | com.fasterxml.jackson.core.exc.StreamReadException e) {
            // .inf and .nan: YAML's infinities and not-a-number are never a valid setting.
            throw refusal(source, p, keys, "'" + p.getText() + "' is not a finite number");
        }
    }

    private static ObjectNode mapping(JsonParser p, Where source, List<String> keys) throws IOException {
        ObjectNode node = NODES.objectNode();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_OBJECT) {
            String name = p.currentName();
            List<String> inner = new ArrayList<>(keys);
            inner.add(name);
            if (node.has(name)) {
                throw refusal(source, p, inner, "the key is written twice in one mapping; keep one");
            }
            if (p instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
                throw refusal(source, p, inner, "an alias as a key is not supported; write the key out");
            }
            node.set(name, value(p, p.nextToken(), source, inner));
        }
        return node;
    }

    private static ArrayNode list(JsonParser p, Where source, List<String> keys) throws IOException {
        ArrayNode node = NODES.arrayNode();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            List<String> inner = new ArrayList<>(keys);
            inner.add("[" + node.size() + "]");
            node.add(value(p, t, source, inner));
        }
        return node;
    }

    /** What is being read, and whether its lines mean anything (not for a command-line value). */
    private record Where(String source, boolean lines) {}

    private static ConfigException refusal(Where where, JsonParser p, List<String> keys, String problem) {
        int line = !where.lines() || p.currentLocation() == null
                ? 0
                : p.currentLocation().getLineNr();
        return ConfigException.at(where.source(), line, ConfigException.keyPath(keys), problem);
    }

    static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("").trim();
    }
}
