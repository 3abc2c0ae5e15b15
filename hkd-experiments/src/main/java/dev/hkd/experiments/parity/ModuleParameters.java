package dev.hkd.experiments.parity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.JsonNode;
import dev.hkd.api.ArrayCopy;
import dev.hkd.testkit.parity.Comparison;
import dev.hkd.testkit.parity.ParityCase;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Function;

/** Maps the reference's parameter names ({@code embed_s.weight}) onto a distiller's modules. */
final class ModuleParameters {

    private ModuleParameters() {}

    /** The parameter {@code module.suffix}, e.g. {@code gnn_s.weight} is the weight inside module gnn_s. */
    static Parameter find(Map<String, Block> modules, String referenceName) {
        int dot = referenceName.lastIndexOf('.');
        String module = referenceName.substring(0, dot);
        String suffix = referenceName.substring(dot + 1);
        Block block = modules.get(module);
        if (block == null) {
            throw new IllegalArgumentException("no module '" + module + "' for reference parameter " + referenceName);
        }
        Parameter found = null;
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getKey().equals(suffix) || p.getKey().endsWith("_" + suffix)) {
                if (found != null) {
                    throw new IllegalArgumentException("ambiguous parameter " + referenceName);
                }
                found = p.getValue();
            }
        }
        if (found == null) {
            throw new IllegalArgumentException("no parameter '" + suffix + "' in module " + module);
        }
        return found;
    }

    /** Copies a reference tensor into a parameter, checking the shape. */
    static void set(Parameter parameter, NDArray value, String name) {
        NDArray target = parameter.getArray();
        if (!target.getShape().equals(value.getShape())) {
            throw new IllegalArgumentException(
                    name + ": reference shape " + value.getShape() + ", ours " + target.getShape());
        }
        ArrayCopy.into(value.toType(target.getDataType(), false), target);
    }

    /**
     * Compares every gradient a case lists under {@code expected.grad}: {@code feat_s} against the
     * student feature's, any other name against the gradient of the parameter {@code parameter}
     * resolves it to.
     */
    static void compareGradients(
            NDManager m,
            Comparison cmp,
            String at,
            JsonNode grads,
            NDArray featS,
            Function<String, Parameter> parameter) {
        for (Iterator<String> it = grads.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            NDArray reference = ParityCase.tensor(m, grads, name, "expected.grad");
            NDArray ours = name.equals("feat_s")
                    ? featS.getGradient()
                    : gradient(parameter.apply(name).getArray());
            cmp.gradient(at + "grad " + name, ours, reference);
        }
    }

    /** The accumulated gradient, zeros when backward never reached the parameter. */
    static NDArray gradient(NDArray array) {
        try {
            NDArray g = array.getGradient();
            return g == null ? array.zerosLike() : g;
        } catch (RuntimeException notReached) {
            return array.zerosLike();
        }
    }

    /**
     * Loads a case's {@code state}: {@code memory_*} buffers into the distiller's state, everything
     * else into its modules by reference name.
     */
    static void loadState(
            dev.hkd.api.Distiller distiller,
            com.fasterxml.jackson.databind.JsonNode state,
            ai.djl.ndarray.NDManager m) {
        Map<String, Block> modules = distiller.trainableModules();
        for (java.util.Iterator<String> it = state.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            NDArray value = ParityCase.tensor(m, state, name, "state");
            if (name.startsWith("memory_")) {
                NDArray target = distiller.state().get(name);
                ArrayCopy.into(value.toType(target.getDataType(), false), target);
            } else {
                set(find(modules, name), value, name);
            }
        }
    }

    /** Zeroes the gradients of all parameters of the modules, between steps. */
    static void zeroGradients(Map<String, Block> modules) {
        for (Block block : modules.values()) {
            for (Pair<String, Parameter> p : block.getParameters()) {
                NDArray g = gradient(p.getValue().getArray());
                g.subi(g);
            }
        }
    }
}
