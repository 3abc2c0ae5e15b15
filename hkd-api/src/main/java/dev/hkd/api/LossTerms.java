package dev.hkd.api;

import ai.djl.ndarray.NDArray;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Named, unweighted scalar loss terms of one distiller at one step. The framework multiplies
 * their sum by the method's weight (β, or α for KD), adds them to the total and logs each term.
 *
 * <pre>{@code
 * return LossTerms.of("ind", individual, "graph", graph);
 * }</pre>
 */
public final class LossTerms {

    private final Map<String, NDArray> terms;

    private LossTerms(Map<String, NDArray> terms) {
        this.terms = Collections.unmodifiableMap(terms);
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

    /** The unweighted sum of all terms. */
    public NDArray sum() {
        NDArray total = null;
        for (NDArray t : terms.values()) {
            total = total == null ? t : total.add(t);
        }
        if (total == null) {
            throw new IllegalStateException("a distiller returned no loss terms");
        }
        return total;
    }
}
