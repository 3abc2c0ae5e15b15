package dev.hkd.training.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Finds the line of a key path in a YAML file, for errors detected after binding. */
public final class YamlKeyLocator {

    private YamlKeyLocator() {}

    /** The 1-based line where the deepest existing prefix of {@code keys} is written, or 0. */
    public static int line(Path file, List<String> keys) {
        try (JsonParser p = new YAMLFactory().createParser(file.toFile())) {
            // Names of the open containers, outermost first; the document root has none.
            List<String> path = new ArrayList<>();
            String pendingField = null;
            int best = 0;
            int bestDepth = 0;
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                switch (t) {
                    case FIELD_NAME -> {
                        pendingField = p.currentName();
                        List<String> current = new ArrayList<>(path.subList(Math.min(1, path.size()), path.size()));
                        current.add(pendingField);
                        int depth = current.size();
                        if (depth <= keys.size() && current.equals(keys.subList(0, depth)) && depth > bestDepth) {
                            best = p.currentLocation().getLineNr();
                            bestDepth = depth;
                        }
                    }
                    case START_OBJECT, START_ARRAY -> {
                        path.add(pendingField == null ? "" : pendingField);
                        pendingField = null;
                    }
                    case END_OBJECT, END_ARRAY -> {
                        path.remove(path.size() - 1);
                    }
                    default -> pendingField = null;
                }
            }
            return best;
        } catch (IOException e) {
            return 0;
        }
    }
}
