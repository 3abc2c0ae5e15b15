package dev.hkd.baselines.ft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.hkd.baselines.PyTorchInit;
import dev.hkd.baselines.ReferenceNamed;
import dev.hkd.baselines.ReferenceStack;
import dev.hkd.baselines.fitnet.TransposedConv2d;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Factor transfer's networks as RepDistiller's {@code models/util.py} builds them: the
 * {@link #translator} (student side: three 3×3 convs, each with BatchNorm and LeakyReLU(0.1)) and
 * the {@link #paraphraser} (teacher side, no BatchNorm: an encoder of three 3×3 convs and a decoder
 * of three 3×3 stride-1 transposed convs, each with LeakyReLU(0.1)). Reference names are
 * {@code encoder.<i>.*} and {@code decoder.<i>.*}, with the {@code nn.Sequential} indices.
 */
public final class FactorNetwork extends AbstractBlock implements ReferenceNamed {

    private static final double SLOPE = 0.1;

    private final ReferenceStack encoder;
    private final ReferenceStack decoder;

    private FactorNetwork(ReferenceStack encoder, ReferenceStack decoder) {
        super((byte) 1);
        this.encoder = addChildBlock("encoder", encoder);
        this.decoder = decoder == null ? null : addChildBlock("decoder", decoder);
    }

    /** {@code Translator(s_shape, t_shape, k)}: {@code C_s → C_s → ⌊k·C_t⌋ → ⌊k·C_t⌋}. */
    public static FactorNetwork translator(long studentChannels, long teacherChannels, double k) {
        long factor = (long) (teacherChannels * k);
        return new FactorNetwork(encoder(studentChannels, factor, true), null);
    }

    /** {@code Paraphraser(t_shape, k)}: encoder {@code C → C → ⌊k·C⌋ → ⌊k·C⌋}, decoder back to C. */
    public static FactorNetwork paraphraser(long teacherChannels, double k) {
        long factor = (long) (teacherChannels * k);
        ReferenceStack decoder = new ReferenceStack()
                .layer(0, new TransposedConv2d(factor, 3, 1, 1))
                .leakyRelu(SLOPE)
                .layer(3, new TransposedConv2d(teacherChannels, 3, 1, 1))
                .leakyRelu(SLOPE)
                .layer(6, new TransposedConv2d(teacherChannels, 3, 1, 1))
                .leakyRelu(SLOPE);
        return new FactorNetwork(encoder(teacherChannels, factor, false), decoder);
    }

    private static ReferenceStack encoder(long in, long factor, boolean batchNorm) {
        ReferenceStack s = new ReferenceStack();
        long[] widths = {in, factor, factor};
        long[] inputs = {in, in, factor};
        for (int i = 0; i < 3; i++) {
            s.layer(
                    3 * i,
                    PyTorchInit.defaults(
                            Conv2d.builder()
                                    .setFilters((int) widths[i])
                                    .setKernelShape(new Shape(3, 3))
                                    .optPadding(new Shape(1, 1))
                                    .build(),
                            inputs[i] * 9));
            if (batchNorm) {
                s.layer(
                        3 * i + 1,
                        BatchNorm.builder().optEpsilon(1e-5f).optMomentum(0.9f).build());
            }
            s.leakyRelu(SLOPE);
        }
        return s;
    }

    /** The factor of a map. */
    public NDArray encode(ParameterStore ps, NDArray x, boolean training) {
        return encoder.forward(ps, new NDList(x), training).head();
    }

    /** The paraphraser's reconstruction of a map from its factor. */
    public NDArray reconstruct(ParameterStore ps, NDArray x, boolean training) {
        return decoder.forward(ps, new NDList(encode(ps, x, training)), training)
                .head();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(encode(ps, inputs.head(), training));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        encoder.initialize(manager, dataType, inputShapes[0]);
        if (decoder != null) {
            decoder.initialize(manager, dataType, encoder.getOutputShapes(inputShapes)[0]);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return encoder.getOutputShapes(inputShapes);
    }

    @Override
    public Map<String, Parameter> referenceParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        encoder.referenceParameters().forEach((k, p) -> out.put("encoder." + k, p));
        if (decoder != null) {
            decoder.referenceParameters().forEach((k, p) -> out.put("decoder." + k, p));
        }
        return out;
    }
}
