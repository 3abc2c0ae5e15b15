package dev.hkd.api;

import ai.djl.ndarray.NDArray;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Named, unweighted scalar loss terms of one distiller at one step. The framework multiplies
 * their sum by the method's weight (β, or α for KD), adds them to the total and logs each term.
 * A method whose terms carry weights of their own (SSKD's λ) gives them with {@link #weighted};
 * the sum is then weighted, the logged terms are not.
 *
 * <pre>{@code
 * return LossTerms.of("ind", individual, "graph", graph);
 * return LossTerms.builder().add("kd", kd, 0.9).add("ss", ss, 10.0).build();
 * }</pre>
 */
public final class LossTerms {

    private final Map<String, NDArray> terms;
    private final Map<String, Double> weights;

    private LossTerms(Map<String, NDArray> terms, Map<String, Double> weights) {
        this.terms = Collections.unmodifiableMap(terms);
        this.weights = Collections.unmodifiableMap(weights);
        for (String name : weights.keySet()) {
            if (!terms.containsKey(name)) {
                throw new IllegalArgumentException(
                        "a weight for '" + name + "', which is not a term: " + terms.keySet());
            }
        }
    }

    private LossTerms(Map<String, NDArray> terms) {
        this(terms, Map.of());
    }

    /** Terms with their own weights within the method (a term without one weighs 1). */
    public static LossTerms weighted(Map<String, NDArray> terms, Map<String, Double> weights) {
        return new LossTerms(new LinkedHashMap<>(terms), new LinkedHashMap<>(weights));
    }

    /**
     * Weighted terms in the order they are added — the order they are logged and summed in, so a
     * run adds its floats the same way every time (a {@code Map.of} would iterate in a per-JVM order).
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects terms and their weights for {@link #builder()}. */
    public static final class Builder {

        private final Map<String, NDArray> terms = new LinkedHashMap<>();
        private final Map<String, Double> weights = new LinkedHashMap<>();

        private Builder() {}

        /** Adds a term with its weight within the method. */
        public Builder add(String name, NDArray value, double weight) {
            if (terms.put(name, value) != null) {
                throw new IllegalArgumentException("term '" + name + "' added twice");
            }
            weights.put(name, weight);
            return this;
        }

        public LossTerms build() {
            return new LossTerms(new LinkedHashMap<>(terms), new LinkedHashMap<>(weights));
        }
    }

    /** The weight of a term within the method: 1 unless given by {@link #weighted}. */
    public double weight(String name) {
        return weights.getOrDefault(name, 1.0);
    }

    public static LossTerms of(String name, NDArray value) {
        Map<String, NDArray> m = new LinkedHashMap<>();
        m.put(name, value);
        return new LossTerms(m);
    }

    public static LossTerms of(String name1, NDArray value1, String name2, NDArray value2) {
        Map<String, NDArray> m = new LinkedHashMap<>();
        m.put(name1, value1);
        m.put(name2, value2);
        return new LossTerms(m);
    }

    public static LossTerms of(Map<String, NDArray> terms) {
        return new LossTerms(new LinkedHashMap<>(terms));
    }

    /** The terms in the order the distiller gave them. */
    public Map<String, NDArray> terms() {
        return terms;
    }

    /** The sum of all terms, each times its weight within the method (1 unless {@link #weighted}). */
    public NDArray sum() {
        NDArray total = null;
        for (Map.Entry<String, NDArray> e : terms.entrySet()) {
            double w = weight(e.getKey());
            NDArray t = w == 1.0 ? e.getValue() : Scalars.mul(e.getValue(), w);
            total = total == null ? t : total.add(t);
        }
        if (total == null) {
            throw new IllegalStateException("a distiller returned no loss terms");
        }
        return total;
    }
}
