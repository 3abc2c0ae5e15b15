package dev.hkd.baselines;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A chain of layers named as a PyTorch {@code nn.Sequential} names them: a layer at index i has
 * reference parameters {@code i.weight}, {@code i.bias} (and a BatchNorm's {@code i.running_mean},
 * {@code i.running_var}); parameter-free steps (activations, empty {@code nn.Sequential()}s) keep
 * their indices without parameters. Used for the connectors, translators and paraphrasers that the
 * reference builds that way.
 *
 * <pre>{@code
 * ReferenceStack translator = new ReferenceStack()
 *         .layer(0, conv).layer(1, BatchNorm.builder().build()).activation(x -> Activation.leakyRelu(x, 0.1f));
 * }</pre>
 */
public final class ReferenceStack extends AbstractBlock implements ReferenceNamed {

    private final List<Block> layers = new ArrayList<>();
    private final List<Integer> indices = new ArrayList<>();
    private final List<UnaryOperator<NDArray>> steps = new ArrayList<>();

    public ReferenceStack() {
        super((byte) 1);
    }

    /** Appends a layer with parameters, named by its reference index. */
    public ReferenceStack layer(int referenceIndex, Block layer) {
        addChildBlock("layer" + referenceIndex, layer);
        layers.add(layer);
        indices.add(referenceIndex);
        steps.add(null);
        return this;
    }

    /** Appends a parameter-free step. */
    public ReferenceStack activation(UnaryOperator<NDArray> step) {
        layers.add(null);
        indices.add(-1);
        steps.add(step);
        return this;
    }

    /** Appends PyTorch's {@code LeakyReLU(slope)}. */
    public ReferenceStack leakyRelu(double slope) {
        return activation(x -> Activation.leakyRelu(x, (float) slope));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.head();
        for (int i = 0; i < layers.size(); i++) {
            x = layers.get(i) == null
                    ? steps.get(i).apply(x)
                    : layers.get(i).forward(ps, new NDList(x), training).head();
        }
        return new NDList(x);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape shape = inputShapes[0];
        for (Block layer : layers) {
            if (layer != null) {
                layer.initialize(manager, dataType, shape);
                shape = layer.getOutputShapes(new Shape[] {shape})[0];
            }
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] shapes = inputShapes;
        for (Block layer : layers) {
            if (layer != null) {
                shapes = layer.getOutputShapes(shapes);
            }
        }
        return shapes;
    }

    @Override
    public Map<String, Parameter> referenceParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            Block layer = layers.get(i);
            if (layer == null) {
                continue;
            }
            for (Pair<String, Parameter> p : layer.getParameters()) {
                out.put(indices.get(i) + "." + referenceName(layer, p.getKey()), p.getValue());
            }
        }
        return out;
    }

    /** PyTorch's name of a DJL parameter. */
    private static String referenceName(Block layer, String djl) {
        if (layer instanceof BatchNorm) {
            return switch (djl) {
                case "gamma" -> "weight";
                case "beta" -> "bias";
                case "runningMean" -> "running_mean";
                case "runningVar" -> "running_var";
                default -> djl;
            };
        }
        return djl;
    }
}
