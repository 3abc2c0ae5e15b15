package dev.hkd.baselines.fitnet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.hkd.baselines.PyTorchInit;
import dev.hkd.baselines.ReferenceNamed;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * FitNet's regressor (RepDistiller's {@code ConvReg}) from a student map to a teacher map: a
 * stride-2 3×3 conv when the student is twice the size, a stride-2 4×4 transposed conv when half,
 * else a valid conv of kernel {@code 1 + H_s − H_t}; then BatchNorm and ReLU (AB's connector,
 * RepDistiller's {@code ConvReg(use_relu=False)}, stops after the BatchNorm).
 */
public final class ConvRegressor extends AbstractBlock implements ReferenceNamed {

    private final Block conv;
    private final BatchNorm bn;
    private final boolean relu;

    /** Shapes are per sample, {@code [C, H, W]}. */
    public ConvRegressor(Shape student, Shape teacher) {
        this(student, teacher, true);
    }

    /** As above; without {@code relu} the output is the BatchNorm's. */
    public ConvRegressor(Shape student, Shape teacher, boolean relu) {
        super((byte) 1);
        this.relu = relu;
        long sc = student.get(0);
        long sh = student.get(1);
        long sw = student.get(2);
        long tc = teacher.get(0);
        long th = teacher.get(1);
        long tw = teacher.get(2);
        Block c;
        if (sh == 2 * th) {
            c = PyTorchInit.defaults(
                    Conv2d.builder()
                            .setFilters((int) tc)
                            .setKernelShape(new Shape(3, 3))
                            .optStride(new Shape(2, 2))
                            .optPadding(new Shape(1, 1))
                            .build(),
                    sc * 9);
        } else if (sh * 2 == th) {
            c = new TransposedConv2d(tc, 4, 2, 1);
        } else if (sh >= th) {
            c = PyTorchInit.defaults(
                    Conv2d.builder()
                            .setFilters((int) tc)
                            .setKernelShape(new Shape(1 + sh - th, 1 + sw - tw))
                            .build(),
                    sc * (1 + sh - th) * (1 + sw - tw));
        } else {
            throw new IllegalArgumentException("FitNet cannot regress a " + student + " hint to " + teacher
                    + " (student maps must be half, equal or larger)");
        }
        conv = addChildBlock("conv", c);
        bn = addChildBlock(
                "bn", BatchNorm.builder().optEpsilon(1e-5f).optMomentum(0.9f).build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray normalised =
                bn.forward(ps, conv.forward(ps, inputs, training), training).head();
        return new NDList(relu ? Activation.relu(normalised) : normalised);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        conv.initialize(manager, dataType, inputShapes[0]);
        bn.initialize(manager, dataType, conv.getOutputShapes(inputShapes)[0]);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return conv.getOutputShapes(inputShapes);
    }

    @Override
    public Map<String, Parameter> referenceParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        out.put("conv.weight", conv.getParameters().get("weight"));
        out.put("conv.bias", conv.getParameters().get("bias"));
        out.put("bn.weight", bn.getParameters().get("gamma"));
        out.put("bn.bias", bn.getParameters().get("beta"));
        out.put("bn.running_mean", bn.getParameters().get("runningMean"));
        out.put("bn.running_var", bn.getParameters().get("runningVar"));
        return out;
    }
}
