package dev.hkd.training.methods;

import dev.hkd.api.DistillerProvider;
import dev.hkd.training.config.ConfigException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/** Every {@link DistillerProvider} on the classpath, found with {@link ServiceLoader}, by id. */
public final class DistillerRegistry {

    private final Map<String, DistillerProvider<?>> providers;

    private DistillerRegistry(Map<String, DistillerProvider<?>> providers) {
        this.providers = providers;
    }

    public static DistillerRegistry fromClasspath() {
        List<DistillerProvider<?>> found = new ArrayList<>();
        for (DistillerProvider<?> p : ServiceLoader.load(DistillerProvider.class)) {
            found.add(p);
        }
        found.sort(Comparator.comparing(DistillerProvider::id));
        Map<String, DistillerProvider<?>> byId = new LinkedHashMap<>();
        for (DistillerProvider<?> p : found) {
            DistillerProvider<?> clash = byId.putIfAbsent(p.id(), p);
            if (clash != null) {
                throw new IllegalStateException("two distillers claim id '" + p.id() + "': "
                        + clash.getClass().getName() + " and " + p.getClass().getName());
            }
        }
        return new DistillerRegistry(byId);
    }

    public List<DistillerProvider<?>> providers() {
        return List.copyOf(providers.values());
    }

    public DistillerProvider<?> get(String id) {
        DistillerProvider<?> p = providers.get(id);
        if (p == null) {
            throw new ConfigException(
                    "unknown method '" + id + "'; known: vanilla, " + String.join(", ", providers.keySet()));
        }
        return p;
    }
}
