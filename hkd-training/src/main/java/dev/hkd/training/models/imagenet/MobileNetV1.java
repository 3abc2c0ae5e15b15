package dev.hkd.training.models.imagenet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.hkd.api.NetworkOutput;
import dev.hkd.training.models.FeatureNetwork;
import dev.hkd.training.models.nn.Container;
import dev.hkd.training.models.nn.Conv;
import dev.hkd.training.models.nn.ConvBn;
import dev.hkd.training.models.nn.Fc;
import dev.hkd.training.models.nn.Functional;
import dev.hkd.training.models.nn.Module;
import java.util.ArrayList;
import java.util.List;

/**
 * mdistiller's ImageNet MobileNetV1 (a08d46f, {@code imagenet/mobilenetv1.py}), under its names
 * ({@code model.<i>.<j>}, {@code fc}) and with PyTorch's default initialisation: a 3×3 stride-2
 * conv + BN + ReLU to 32 channels, then 13 depthwise-separable units (3×3 depthwise conv + BN +
 * ReLU, 1×1 pointwise conv + BN + ReLU), a 7×7 average pool and {@code fc}. mdistiller fixes
 * {@code fc} at 1000 classes; here it has the data's class count.
 *
 * <p>Features: the outputs of units 3, 5, 11 and 13 (after the pointwise BN's ReLU; their
 * pre-activation versions before it), 128@56², 256@28², 512@14², 1024@7² on 224×224 inputs, then
 * the pooled 1024-vector.
 *
 * <p>Input size: the reference pools with a fixed {@code AvgPool2d(7)} and flattens to 1024 per
 * image, which is global average pooling only when the last map is 7×7, that is for inputs of
 * 193 to 224 pixels a side (ImageNet's 224×224). Any other size is refused with a one-line error
 * when the model is initialised or run (an {@link IllegalArgumentException}), rather than silently
 * averaging a corner of the map or folding several pooled vectors into one row, as the reference would.
 */
public final class MobileNetV1 extends FeatureNetwork {

    /** Output channels and stride of each of the 14 units of {@code model}; unit 0 is the plain conv. */
    private static final int[][] UNITS = {
        {32, 2}, {64, 1}, {128, 2}, {128, 1}, {256, 2}, {256, 1}, {512, 2}, {512, 1}, {512, 1}, {512, 1}, {512, 1},
        {512, 1}, {1024, 2}, {1024, 1}
    };
    /** The units whose outputs are features (mdistiller's feat1…feat4). */
    private static final List<Integer> TAPPED = List.of(3, 5, 11, 13);
    /** The fixed pool of the reference, and the input sides whose last map it covers exactly. */
    private static final int POOL = 7;

    private static final int SMALLEST_SIDE = 193;
    private static final int LARGEST_SIDE = 224;

    private final List<Unit> units = new ArrayList<>();
    private final Fc fc;

    public MobileNetV1(int numClasses) {
        Container model = child("model", new Container());
        long in = 3;
        for (int u = 0; u < UNITS.length; u++) {
            units.add(model.add(
                    Integer.toString(u),
                    u == 0
                            ? Unit.plain(in, UNITS[u][0], UNITS[u][1])
                            : Unit.depthwiseSeparable(in, UNITS[u][0], UNITS[u][1])));
            in = UNITS[u][0];
        }
        fc = child("fc", new Fc(in, numClasses, Fc.Init.PYTORCH_DEFAULT));
    }

    @Override
    public String modelName() {
        return "MobileNetV1";
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        requireSupportedSize(inputShapes[0]);
        super.initializeChildBlocks(manager, dataType, inputShapes);
    }

    @Override
    public NetworkOutput forward(ParameterStore ps, NDArray images, boolean training, boolean preActivation) {
        requireSupportedSize(images.getShape());
        List<NDArray> features = new ArrayList<>();
        List<NDArray> pre = new ArrayList<>();
        NDArray x = images;
        for (int u = 0; u < units.size(); u++) {
            NDList out = runBlock(units.get(u), ps, x, training);
            x = out.get(0);
            if (TAPPED.contains(u)) {
                features.add(x);
                pre.add(out.get(1));
            }
        }
        // AvgPool2d(7) on the 7×7 map that requireSupportedSize guarantees is the global mean.
        NDArray pooled = Functional.globalAveragePool(x);
        features.add(pooled);
        pre.add(pooled);
        return new NetworkOutput(run(fc, ps, pooled, training), features, preActivation ? pre : List.of());
    }

    /** The side of the last map for an input side: five stride-2 3×3 convs with padding 1. */
    static long lastMapSide(long side) {
        long s = side;
        for (int[] unit : UNITS) {
            if (unit[1] == 2) {
                s = (s - 1) / 2 + 1;
            }
        }
        return s;
    }

    private static void requireSupportedSize(Shape input) {
        if (input.dimension() != 4) {
            throw new IllegalArgumentException("MobileNetV1 takes images [batch, 3, height, width], got " + input);
        }
        long h = input.get(2);
        long w = input.get(3);
        if (lastMapSide(h) != POOL || lastMapSide(w) != POOL) {
            throw new IllegalArgumentException("MobileNetV1 (mdistiller) ends in a fixed " + POOL + "x" + POOL
                    + " average pool, so it needs images of " + SMALLEST_SIDE + " to " + LARGEST_SIDE
                    + " pixels a side (ImageNet's 224x224), got " + h + "x" + w + "; for other sizes use a model with"
                    + " adaptive pooling (resnet18, resnet34, resnet50 or a CIFAR model)");
        }
    }

    /**
     * One unit of {@code model}: conv + BN pairs with a ReLU between them; returns
     * {@code [relu(pre), pre]}, {@code pre} being the last BN's output.
     */
    static final class Unit extends Module {

        private final List<ConvBn> pairs;

        /** Registers pair {@code j}'s conv and BN under the Sequential's indices {@code 3j} and {@code 3j + 1}. */
        private Unit(ConvBn... pairs) {
            this.pairs = List.of(pairs);
            for (int j = 0; j < pairs.length; j++) {
                child(Integer.toString(3 * j), pairs[j].conv());
                child(Integer.toString(3 * j + 1), pairs[j].bn());
            }
        }

        /** mdistiller's {@code conv_bn}: 3×3 conv (stride) + BN + ReLU, Sequential indices 0, 1. */
        static Unit plain(long in, long out, int stride) {
            return new Unit(ConvBn.of(new Conv(in, out, 3, stride, 1, 1, false, Conv.Init.PYTORCH_DEFAULT)));
        }

        /**
         * mdistiller's {@code conv_dw}: 3×3 depthwise conv (stride) + BN + ReLU, 1×1 pointwise conv +
         * BN + ReLU, Sequential indices 0, 1, 3, 4 (the ReLUs are 2 and 5).
         */
        static Unit depthwiseSeparable(long in, long out, int stride) {
            return new Unit(
                    ConvBn.of(Conv.depthwise(in, stride, Conv.Init.PYTORCH_DEFAULT)),
                    ConvBn.of(new Conv(in, out, 1, 1, 0, 1, false, Conv.Init.PYTORCH_DEFAULT)));
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            NDArray h = inputs.head();
            for (int j = 0; j < pairs.size(); j++) {
                if (j > 0) {
                    h = Functional.relu(h);
                }
                h = pairs.get(j).apply(ps, h, training);
            }
            return new NDList(Functional.relu(h), h);
        }
    }
}
