package dev.hkd.graph;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.util.PairList;
import dev.hkd.losses.contrast.L2Normalize;
import java.util.ArrayList;
import java.util.List;

/**
 * HKD's encoder (docs/methods.md#hkd): a graph layer then L2 normalisation, no
 * activation. Input {@code [x, Â]}: node features {@code [B, d]} and the propagation matrix
 * {@code [B, B]} of a {@link KnnGraph}. TAG concatenates the node's own features first, then each
 * hop, as DGL does; its weight is {@code [out, in·(hops+1)]} with DGL's Xavier-normal (gain √2)
 * init and PyTorch's default bias.
 */
public final class GraphEncoder extends AbstractBlock {

    private final GnnType type;
    private final int hops;
    private final long out;
    private final Linear linear;

    public GraphEncoder(GnnType type, int hops, long in, long out) {
        super((byte) 1);
        if (hops < 1) {
            throw new IllegalArgumentException("hops must be >= 1, got " + hops);
        }
        this.type = type;
        this.hops = hops;
        this.out = out;
        long fanIn = type == GnnType.TAG ? in * (hops + 1) : in;
        this.linear = addChildBlock(
                "linear", Linear.builder().setUnits(out).optBias(true).build());
        float std = (float) (Math.sqrt(2.0) * Math.sqrt(2.0 / (fanIn + out)));
        linear.setInitializer(new NormalInitializer(std), Parameter.Type.WEIGHT);
        linear.setInitializer(new UniformInitializer((float) (1.0 / Math.sqrt(fanIn))), Parameter.Type.BIAS);
    }

    /** The layer's weight {@code [out, in·(hops+1)]} and bias, by PyTorch name. */
    public Linear linear() {
        return linear;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray propagation = inputs.get(1);
        NDArray features;
        if (type == GnnType.TAG) {
            List<NDArray> parts = new ArrayList<>();
            parts.add(x);
            NDArray h = x;
            for (int i = 0; i < hops; i++) {
                h = propagation.matMul(h);
                parts.add(h);
            }
            features = NDArrays.concat(new NDList(parts), 1);
        } else {
            features = x;
            for (int i = 0; i < hops; i++) {
                features = propagation.matMul(features);
            }
        }
        NDArray out = linear.forward(ps, new NDList(features), training).head();
        return new NDList(L2Normalize.rows(out));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        long width = type == GnnType.TAG ? x.get(1) * (hops + 1) : x.get(1);
        linear.initialize(manager, dataType, new Shape(x.get(0), width));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), out)};
    }
}
