package dev.hkd.baselines.vid;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;
import dev.hkd.baselines.PyTorchInit;
import dev.hkd.baselines.ReferenceNamed;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * VID's per-pair module (RepDistiller's {@code VIDLoss} without the loss): a 1×1-conv regressor
 * in → mid → mid → out with ReLUs between and no bias, predicting the teacher map's mean, and a
 * per-channel {@code log_scale} initialised so that the variance starts at {@code init_pred_var}.
 * Output {@code [mean]}; {@link #logScale()} feeds the loss.
 */
public final class VariationalRegressor extends AbstractBlock implements ReferenceNamed {

    private final Conv2d conv1;
    private final Conv2d conv2;
    private final Conv2d conv3;
    private final Parameter logScale;

    public VariationalRegressor(long in, long mid, long out, double initPredVar, double eps) {
        super((byte) 1);
        conv1 = addChildBlock("conv1", conv(mid, in));
        conv2 = addChildBlock("conv2", conv(mid, mid));
        conv3 = addChildBlock("conv3", conv(out, mid));
        float init = (float) Math.log(Math.exp(initPredVar - eps) - 1.0);
        logScale = addParameter(Parameter.builder()
                .setName("log_scale")
                .setType(Parameter.Type.OTHER)
                .optShape(new Shape(out))
                .optInitializer(new ConstantInitializer(init))
                .build());
    }

    private static Conv2d conv(long filters, long in) {
        return PyTorchInit.defaults(
                Conv2d.builder()
                        .setFilters((int) filters)
                        .setKernelShape(new Shape(1, 1))
                        .optBias(false)
                        .build(),
                in);
    }

    public NDArray logScale() {
        return logScale.getArray();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray h = Activation.relu(conv1.forward(ps, inputs, training).head());
        h = Activation.relu(conv2.forward(ps, new NDList(h), training).head());
        return conv3.forward(ps, new NDList(h), training);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        conv1.initialize(manager, dataType, s);
        s = conv1.getOutputShapes(new Shape[] {s})[0];
        conv2.initialize(manager, dataType, s);
        s = conv2.getOutputShapes(new Shape[] {s})[0];
        conv3.initialize(manager, dataType, s);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = conv1.getOutputShapes(inputShapes)[0];
        return conv3.getOutputShapes(conv2.getOutputShapes(new Shape[] {s}));
    }

    @Override
    public Map<String, Parameter> referenceParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        out.put("log_scale", logScale);
        out.put("regressor.0.weight", conv1.getParameters().get("weight"));
        out.put("regressor.2.weight", conv2.getParameters().get("weight"));
        out.put("regressor.4.weight", conv3.getParameters().get("weight"));
        return out;
    }
}
