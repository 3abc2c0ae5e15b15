package dev.hkd.testkit.parity;

import ai.djl.ndarray.NDManager;
import java.util.Set;

/**
 * Recomputes the reference cases of some methods with this project's code. Implementations are
 * found with {@link java.util.ServiceLoader} (public, with a no-argument constructor).
 *
 * <pre>{@code
 * public final class MyLossParity implements ParityCheck {
 *     public Set<String> methods() { return Set.of("my-loss"); }
 *     public void run(ParityCase c, NDManager m, Comparison cmp) { ... cmp.loss("loss", ours, expected); }
 * }
 * }</pre>
 */
public interface ParityCheck {

    /** The {@code method} values of the cases this check understands. */
    Set<String> methods();

    /** Runs every step of the case and records each comparison. */
    void run(ParityCase parityCase, NDManager manager, Comparison comparison);
}
