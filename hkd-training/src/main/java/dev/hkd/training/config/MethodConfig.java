package dev.hkd.training.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The distillation method: {@code name} is {@code vanilla} (cross-entropy only), one method id,
 * or ids joined with {@code +} ({@code crd+kd}). {@code weights} maps {@code ce} and each id to its
 * weight (reference defaults where absent); {@code options} maps an id to its own settings;
 * {@code label}, if set, names the method's row in reports (e.g. {@code kd-ls} for KD with logit
 * standardisation), which is otherwise {@code name}.
 */
public record MethodConfig(String name, Map<String, Double> weights, Map<String, JsonNode> options, String label) {

    public static final String VANILLA = "vanilla";

    public MethodConfig(String name, Map<String, Double> weights, Map<String, JsonNode> options) {
        this(name, weights, options, null);
    }

    public MethodConfig {
        name = name == null ? VANILLA : name.trim();
        weights = weights == null ? Map.of() : Map.copyOf(weights);
        options = options == null ? Map.of() : Map.copyOf(options);
        Check.that(!name.isEmpty(), "name", "must not be empty");
        Check.that(
                name.equals(VANILLA)
                        || Arrays.stream(name.split("\\+", -1))
                                .noneMatch(id -> id.trim().isEmpty()),
                "name",
                "'" + name + "' has an empty method id; valid: vanilla, one id (kd) or ids joined by '+' (crd+kd)");
        Check.that(label == null || !label.isBlank(), "label", "must not be blank (leave it out to use the name)");
        for (Map.Entry<String, Double> w : weights.entrySet()) {
            Check.that(
                    w.getValue() != null && w.getValue() >= 0,
                    "weights." + w.getKey(),
                    "must be >= 0, got " + w.getValue());
        }
    }

    /** The row name in reports: the label if set, else the name. */
    public String displayName() {
        return label != null ? label : name;
    }

    /** The method ids, {@code []} for vanilla. */
    public List<String> components() {
        if (name.equals(VANILLA)) {
            return List.of();
        }
        return Arrays.stream(name.split("\\+")).map(String::trim).toList();
    }
}
