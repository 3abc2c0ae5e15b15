package dev.hkd.baselines;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One optional module per distilled stage, as PyTorch's {@code nn.ModuleList} of connectors: stage
 * i's parameters are named {@code i.<its reference names>}; a stage without a module (identity) has
 * none. {@link #apply} maps each stage's input through its module.
 */
public final class StageModules extends AbstractBlock implements ReferenceNamed {

    private final List<Block> modules;

    /** {@code modules}: one per stage, {@code null} for the identity; each one {@link ReferenceNamed}. */
    public StageModules(List<Block> modules) {
        super((byte) 1);
        this.modules = new ArrayList<>(modules);
        for (int i = 0; i < modules.size(); i++) {
            if (modules.get(i) != null) {
                addChildBlock("stage" + i, modules.get(i));
            }
        }
    }

    /** Initialises every stage's module for its per-sample input shape. */
    public void initialize(NDManager manager, DataType dataType, List<Shape> perSample) {
        for (int i = 0; i < modules.size(); i++) {
            if (modules.get(i) != null) {
                modules.get(i).initialize(manager, dataType, new Shape(1).addAll(perSample.get(i)));
            }
        }
    }

    public int size() {
        return modules.size();
    }

    /** Each map through its stage's module. */
    public List<NDArray> apply(ParameterStore ps, List<NDArray> maps, boolean training) {
        List<NDArray> out = new ArrayList<>();
        for (int i = 0; i < maps.size(); i++) {
            Block m = modules.get(i);
            out.add(
                    m == null
                            ? maps.get(i)
                            : m.forward(ps, new NDList(maps.get(i)), training).head());
        }
        return out;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(ps, inputs, training));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (int i = 0; i < modules.size(); i++) {
            if (modules.get(i) != null) {
                modules.get(i).initialize(manager, dataType, inputShapes[i]);
            }
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] out = new Shape[inputShapes.length];
        for (int i = 0; i < inputShapes.length; i++) {
            out[i] = modules.get(i) == null
                    ? inputShapes[i]
                    : modules.get(i).getOutputShapes(new Shape[] {inputShapes[i]})[0];
        }
        return out;
    }

    @Override
    public Map<String, Parameter> referenceParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        for (int i = 0; i < modules.size(); i++) {
            if (modules.get(i) instanceof ReferenceNamed named) {
                final int stage = i;
                named.referenceParameters().forEach((k, p) -> out.put(stage + "." + k, p));
            }
        }
        return out;
    }
}
