package dev.hkd.runner.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.hkd.training.io.RunFolder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What a tracker records about a run besides its metrics, kept in the run folder as
 * {@code tracking.json} so that {@code ./hkd sync} can create the run later, even if no tracking
 * server was reachable while it trained.
 *
 * @param uid this run folder's identity on every tracking server (made once, at its first start)
 * @param experiment the experiment (a grid's name)
 * @param runName the run's name (the cell's folder name)
 * @param params the flattened configuration ({@code training.optimizer.lr → 0.05})
 * @param tags provenance: configuration hash, git commit, host, DJL and engine versions, dataset fingerprint
 */
public record RunDescription(
        String uid, String experiment, String runName, Map<String, String> params, Map<String, String> tags) {

    public static final String FILE = RunFolder.TRACKING;
    /** The tag holding the configuration's canonical hash (the same configuration gives the same hash anywhere). */
    public static final String HASH_TAG = "hkd.config_hash";
    /** The tag that ties a server's run to its local run folder ({@link #uid()}). */
    public static final String UID_TAG = "hkd.run_uid";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Keys that could hold a credential are never sent, whatever their value. */
    private static final Pattern SECRET = Pattern.compile("(?i).*(token|password|passwd|secret|credential|api_?key).*");

    /** Dotted key paths of every leaf of a configuration tree; lists as JSON text. */
    public static Map<String, String> flatten(JsonNode config) {
        Map<String, String> out = new TreeMap<>();
        flatten("", config, out);
        return out;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
                if (!SECRET.matcher(e.getKey()).matches()) {
                    flatten(key, e.getValue(), out);
                }
            }
        } else if (!prefix.isEmpty()) {
            out.put(prefix, node.isValueNode() ? node.asText() : node.toString());
        }
    }

    public static boolean exists(Path runDir) {
        return Files.isRegularFile(runDir.resolve(FILE));
    }

    public static RunDescription read(Path runDir) {
        try {
            return JSON.readValue(runDir.resolve(FILE).toFile(), RunDescription.class);
        } catch (IOException e) {
            throw new UncheckedIOException(runDir.resolve(FILE) + ": " + e.getMessage(), e);
        }
    }

    /** Written atomically; a folder keeps the description of its first start. */
    public void writeIfAbsent(Path runDir) {
        if (exists(runDir)) {
            return;
        }
        try {
            Path tmp = runDir.resolve(FILE + ".tmp");
            JSON.writeValue(tmp.toFile(), this);
            Files.move(tmp, runDir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
