package dev.hkd.experiments.parity;

import ai.djl.ndarray.NDManager;
import java.util.Set;

/** Recomputes the reference cases of some methods with this project's code. */
public interface ParityCheck {

    /** The {@code method} values of the cases this check understands. */
    Set<String> methods();

    /** Runs every step of the case and records each comparison. */
    void run(ParityCase parityCase, NDManager manager, Comparison comparison);
}
