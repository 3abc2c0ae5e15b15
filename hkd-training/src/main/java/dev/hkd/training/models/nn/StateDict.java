package dev.hkd.training.models.nn;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A model's parameters under the reference's PyTorch state-dict names
 * ({@code layer1.0.bn1.running_mean}), from a walk of its {@link Module} tree.
 */
public final class StateDict {

    /** BatchNorm's step counter, int64; optional in an imported file (older PyTorch files lack it). */
    public static final String BATCHES_TRACKED = "num_batches_tracked";

    private StateDict() {}

    public static Map<String, Parameter> of(Block root) {
        Map<String, Parameter> out = new LinkedHashMap<>();
        collect(root, "", out);
        return out;
    }

    private static void collect(Block block, String prefix, Map<String, Parameter> out) {
        if (block instanceof Leaf leaf) {
            leaf.stateDict().forEach((name, parameter) -> out.put(prefix + name, parameter));
        } else if (block instanceof Module m) {
            m.namedChildren().forEach((name, child) -> collect(child, prefix + name + ".", out));
        } else {
            throw new IllegalStateException(
                    "no reference names for " + block.getClass().getName() + " at '" + prefix + "'");
        }
    }

    /** Whether {@code name} is the step counter of a BatchNorm in this state dict. */
    public static boolean isBatchesTracked(Map<String, Parameter> state, String name) {
        if (!name.endsWith("." + BATCHES_TRACKED) && !name.equals(BATCHES_TRACKED)) {
            return false;
        }
        String prefix = name.substring(0, name.length() - BATCHES_TRACKED.length());
        return state.containsKey(prefix + "running_mean");
    }
}
