package dev.hkd.training.config;

import java.nio.file.Path;
import java.util.List;

/**
 * A configuration error, described in one line that names the file, line and key:
 * {@code FILE:LINE: KEY: what is wrong; what would be valid}. {@link #at} is the one formatter of
 * that line; the line number is left out (never written as {@code :0}) when it is not known.
 *
 * <pre>{@code
 * throw ConfigException.at(file, List.of("training", "batch_size"), "must be in [1, 65536], got 0");
 * // run.yaml:7: training.batch_size: must be in [1, 65536], got 0
 * }</pre>
 */
public class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(oneLine(message));
    }

    /**
     * The error at {@code keys} of {@code file}, its line found in the file; {@code file} may be
     * null (a configuration built in code), and then only the key is named.
     */
    public static ConfigException at(Path file, List<String> keys, String problem) {
        int line = file == null
                ? 0
                : YamlKeyLocator.line(
                        file, keys.stream().filter(k -> !k.startsWith("[")).toList());
        return at(file == null ? null : file.toString(), line, keyPath(keys), problem);
    }

    /** The error at {@code key} (dotted, may be empty) of {@code source} (may be null), on {@code line} (0: unknown). */
    public static ConfigException at(String source, int line, String key, String problem) {
        StringBuilder sb = new StringBuilder();
        if (source != null && !source.isEmpty()) {
            sb.append(source);
            if (line > 0) {
                sb.append(':').append(line);
            }
            sb.append(": ");
        }
        if (key != null && !key.isEmpty()) {
            sb.append(key).append(": ");
        }
        return new ConfigException(sb.append(problem).toString());
    }

    /** {@code [training, milestones, [1]]} as {@code training.milestones[1]}. */
    public static String keyPath(List<String> keys) {
        StringBuilder sb = new StringBuilder();
        for (String k : keys) {
            if (sb.length() > 0 && !k.startsWith("[")) {
                sb.append('.');
            }
            sb.append(k);
        }
        return sb.toString();
    }

    /**
     * A user error is one line: a value that holds a newline (or another control character) is
     * shown escaped, and a message is cut at 2 000 characters. Every user-error type uses this.
     */
    public static String oneLine(String message) {
        if (message == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder(Math.min(message.length(), 2000));
        for (int i = 0; i < message.length() && sb.length() < 2000; i++) {
            char c = message.charAt(i);
            if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\r') {
                sb.append("\\r");
            } else if (Character.isISOControl(c)) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (sb.length() >= 2000) {
            sb.append("…");
        }
        return sb.toString();
    }
}
