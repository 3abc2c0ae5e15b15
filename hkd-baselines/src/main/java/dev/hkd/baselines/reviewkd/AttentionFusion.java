package dev.hkd.baselines.reviewkd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.util.PairList;

/**
 * ReviewKD's ABF module (docs/methods.md#reviewkd) for one level: 1×1 conv + BN to {@code mid}
 * channels, fused with the deeper level's residual through a 2-channel sigmoid attention (except
 * at the deepest level), resized to the teacher's size, then 3×3 conv + BN to the teacher's
 * channels. Input {@code [x]} or {@code [x, residual]}; output {@code [out, residual]}.
 */
final class AttentionFusion extends AbstractBlock {

    private final Conv2d conv1;
    private final BatchNorm bn1;
    private final Conv2d conv2;
    private final BatchNorm bn2;
    private final Conv2d attention;
    private final int shape;
    private final int outShape;
    private final long mid;

    AttentionFusion(long in, long mid, long out, boolean fuse, int shape, int outShape) {
        super((byte) 1);
        this.shape = shape;
        this.outShape = outShape;
        this.mid = mid;
        conv1 = addChildBlock("conv1", conv(mid, 1, false, Math.sqrt(3.0 / in)));
        bn1 = addChildBlock(
                "bn1", BatchNorm.builder().optEpsilon(1e-5f).optMomentum(0.9f).build());
        conv2 = addChildBlock("conv2", conv(out, 3, false, Math.sqrt(3.0 / (mid * 9))));
        bn2 = addChildBlock(
                "bn2", BatchNorm.builder().optEpsilon(1e-5f).optMomentum(0.9f).build());
        attention = fuse ? addChildBlock("att", conv(2, 1, true, 1.0 / Math.sqrt(2 * mid))) : null;
    }

    /** Kaiming-uniform with a = 1 is {@code U(±√(3/fan_in))}; PyTorch's default conv is {@code U(±1/√fan_in)}. */
    private static Conv2d conv(long filters, int kernel, boolean bias, double bound) {
        Conv2d conv = Conv2d.builder()
                .setFilters(Math.toIntExact(filters))
                .setKernelShape(new Shape(kernel, kernel))
                .optPadding(new Shape((kernel - 1) / 2, (kernel - 1) / 2))
                .optBias(bias)
                .build();
        conv.setInitializer(new UniformInitializer((float) bound), Parameter.Type.WEIGHT);
        if (bias) {
            conv.setInitializer(new UniformInitializer((float) bound), Parameter.Type.BIAS);
        }
        return conv;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = bn1.forward(ps, conv1.forward(ps, new NDList(inputs.get(0)), training), training)
                .head();
        if (attention != null) {
            NDArray residual = Resize.nearest(inputs.get(1), shape);
            NDArray z = Activation.sigmoid(attention
                    .forward(ps, new NDList(x.concat(residual, 1)), training)
                    .head());
            x = x.mul(z.get(":, 0:1")).add(residual.mul(z.get(":, 1:2")));
        }
        x = Resize.nearest(x, outShape);
        NDArray out = bn2.forward(ps, conv2.forward(ps, new NDList(x), training), training)
                .head();
        return new NDList(out, x);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        conv1.initialize(manager, dataType, x);
        Shape m = new Shape(x.get(0), mid, shape, shape);
        bn1.initialize(manager, dataType, m);
        if (attention != null) {
            attention.initialize(manager, dataType, new Shape(x.get(0), 2 * mid, shape, shape));
        }
        Shape resized = new Shape(x.get(0), mid, outShape, outShape);
        conv2.initialize(manager, dataType, resized);
        bn2.initialize(manager, dataType, conv2.getOutputShapes(new Shape[] {resized})[0]);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape resized = new Shape(inputShapes[0].get(0), mid, outShape, outShape);
        return new Shape[] {conv2.getOutputShapes(new Shape[] {resized})[0], resized};
    }
}
