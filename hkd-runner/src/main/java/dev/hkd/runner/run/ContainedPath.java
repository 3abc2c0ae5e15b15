package dev.hkd.runner.run;

import dev.hkd.training.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one way a path is built from a name that came from outside (a model name, a grid's name, a
 * cell's values, a plot's pair, a tracking server's artifact URI): the result stays inside its root.
 * A name is one path segment — not empty, not {@code .} or {@code ..}, without {@code /}, {@code \},
 * control characters or more than 255 bytes — so {@code teacher.model: ../../../../tmp/x} never
 * becomes {@code /tmp/x-…}.
 *
 * <pre>{@code
 * Path dir = ContainedPath.child(cache.resolve("teachers"), model + "-" + key, "teacher.model");
 * }</pre>
 */
public final class ContainedPath {

    private static final int MAX_NAME_BYTES = 255;

    private ContainedPath() {}

    /** {@code root/name}, or a one-line error naming {@code what} when {@code name} is not a single safe segment. */
    public static Path child(Path root, String name, String what) {
        String problem = problem(name);
        if (problem != null) {
            throw new ConfigException(what + ": '" + printable(name) + "' " + problem);
        }
        Path child = root.resolve(name);
        if (!child.normalize().startsWith(root.normalize()) || child.normalize().equals(root.normalize())) {
            throw new ConfigException(what + ": '" + printable(name) + "' leads out of " + root);
        }
        return child;
    }

    /** Why {@code name} cannot be one path segment, or null when it can. */
    public static String problem(String name) {
        if (name == null || name.isEmpty()) {
            return "is empty; it must name a file or folder";
        }
        if (name.equals(".") || name.equals("..")) {
            return "is not a name";
        }
        if (name.indexOf('/') >= 0 || name.indexOf('\\') >= 0) {
            return "contains a path separator; it must be a single name";
        }
        if (name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return "contains a control character";
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            return "is longer than " + MAX_NAME_BYTES + " bytes, which file systems do not take";
        }
        return null;
    }

    /**
     * {@code candidate} if it lies inside {@code root} (both made absolute; symbolic links of the
     * part that exists resolved, so a link cannot lead out), else a one-line error naming {@code what}.
     */
    public static Path inside(Path root, Path candidate, String what) {
        Path r = real(root.toAbsolutePath().normalize());
        Path c = real(candidate.toAbsolutePath().normalize());
        if (!c.startsWith(r)) {
            throw new ConfigException(what + ": " + printable(candidate.toString()) + " is not inside " + root);
        }
        return c;
    }

    /** The real path of the longest existing prefix of {@code path}, with the rest appended. */
    private static Path real(Path path) {
        Path existing = path;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return path;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(path)).normalize();
        } catch (IOException e) {
            return path;
        }
    }

    /** {@code s} with control characters shown as {@code \n}-style escapes, shortened, for a one-line message. */
    public static String printable(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '\n') {
                b.append("\\n");
            } else if (c == '\r') {
                b.append("\\r");
            } else if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\x%02x", (int) c));
            } else {
                b.append(c);
            }
            if (b.length() > 100) {
                return b + "...";
            }
        }
        return b.toString();
    }
}
