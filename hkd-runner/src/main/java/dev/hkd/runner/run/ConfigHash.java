package dev.hkd.runner.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hkd.training.config.ConfigLoader;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** A canonical hash of a configuration value: sorted keys, defaults filled in, compact JSON. */
public final class ConfigHash {

    private static final ObjectMapper CANONICAL =
            new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private ConfigHash() {}

    /**
     * A run's identity: the hash of its configuration without {@code output} (where a run is
     * stored does not change what it computes) and without unset (null) values, so that a new
     * optional key leaves existing identities alone. Grid cells, run folders and tracker runs share it.
     */
    public static String identity(dev.hkd.training.config.RunConfig config) {
        ObjectNode tree = ConfigLoader.mapper().valueToTree(config);
        tree.remove("output");
        return of(withoutNulls(tree));
    }

    private static JsonNode withoutNulls(JsonNode node) {
        if (node instanceof ObjectNode object) {
            List<String> unset = new ArrayList<>();
            object.fields().forEachRemaining(e -> {
                if (e.getValue().isNull()) {
                    unset.add(e.getKey());
                } else {
                    withoutNulls(e.getValue());
                }
            });
            object.remove(unset);
        } else if (node.isArray()) {
            node.forEach(ConfigHash::withoutNulls);
        }
        return node;
    }

    public static String of(Object value) {
        try {
            JsonNode tree = ConfigLoader.mapper().valueToTree(value);
            Object sorted = CANONICAL.treeToValue(tree, Object.class);
            byte[] bytes = CANONICAL.writeValueAsBytes(sorted);
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes))
                    .substring(0, 12);
        } catch (java.io.IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash configuration", e);
        }
    }
}
