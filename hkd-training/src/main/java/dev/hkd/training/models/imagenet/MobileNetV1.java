package dev.hkd.training.models.imagenet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.hkd.api.NetworkOutput;
import dev.hkd.training.models.FeatureNetwork;
import dev.hkd.training.models.nn.Bn;
import dev.hkd.training.models.nn.Container;
import dev.hkd.training.models.nn.Conv;
import dev.hkd.training.models.nn.Fc;
import dev.hkd.training.models.nn.Functional;
import java.util.ArrayList;
import java.util.List;

/**
 * mdistiller's ImageNet MobileNetV1 (a08d46f, {@code imagenet/mobilenetv1.py}), under its names
 * ({@code model.<i>.<j>}, {@code fc}) and with PyTorch's default initialisation: a 3×3 stride-2
 * conv + BN + ReLU to 32 channels, then 13 depthwise-separable blocks (3×3 depthwise conv + BN +
 * ReLU, 1×1 pointwise conv + BN + ReLU), a 7×7 average pool and {@code fc}.
 *
 * <p>Features: the outputs of blocks 3, 5, 11 and 13 (after the pointwise BN's ReLU; their
 * pre-activation versions before it), 128@56², 256@28², 512@14², 1024@7² on 224×224 inputs, then
 * the pooled 1024-vector.
 *
 * <p>Input size: the reference pools with a fixed {@code AvgPool2d(7)} and flattens to 1024 per
 * image, which is global average pooling only when the last map is 7×7, that is for inputs of
 * 193 to 224 pixels a side (ImageNet's 224×224). Any other size is refused with a one-line error
 * when the model is initialised or run (an {@link IllegalArgumentException}), rather than silently
 * averaging a corner of the map or mixing images, as the reference would.
 */
public final class MobileNetV1 extends FeatureNetwork {

    /** Output channels and stride of each of the 14 units of {@code model}; unit 0 is the plain conv. */
    private static final int[][] UNITS = {{32, 2}, {64, 1}, {128, 2}, {128, 1}, {256, 2}, {256, 1}, {512, 2},
        {512, 1}, {512, 1}, {512, 1}, {512, 1}, {512, 1}, {1024, 2}, {1024, 1}};
    /** The units whose outputs are features (mdistiller's feat1…feat4). */
    private static final List<Integer> TAPPED = List.of(3, 5, 11, 13);
    /** The fixed pool of the reference, and the last map it needs. */
    private static final int POOL = 7;
    private static final int SMALLEST_SIDE = 193;
    private static final int LARGEST_SIDE = 224;

    /** The convs and BatchNorms of each unit, in order: [conv, bn] or [dw, bn, pw, bn]. */
    private final List<List<Conv>> convs = new ArrayList<>();
    private final List<List<Bn>> norms = new ArrayList<>();
    private final Fc fc;

    public MobileNetV1(int numClasses) {
        Container model = child("model", new Container());
        long in = 3;
        for (int u = 0; u < UNITS.length; u++) {
            long out = UNITS[u][0];
            int stride = UNITS[u][1];
            Container unit = model.add(Integer.toString(u), new Container());
            if (u == 0) {
                convs.add(List.of(unit.add("0", new Conv(in, out, 3, stride, 1, 1, false, Conv.Init.PYTORCH_DEFAULT))));
                norms.add(List.of(unit.add("1", new Bn(out))));
            } else {
                // PyTorch Sequential indices: 0 dw conv, 1 BN, 2 ReLU, 3 pw conv, 4 BN, 5 ReLU.
                Conv depthwise = unit.add("0", new Conv(in, in, 3, stride, 1, (int) in, false, Conv.Init.PYTORCH_DEFAULT));
                Bn bnDepthwise = unit.add("1", new Bn(in));
                Conv pointwise = unit.add("3", new Conv(in, out, 1, 1, 0, 1, false, Conv.Init.PYTORCH_DEFAULT));
                Bn bnPointwise = unit.add("4", new Bn(out));
                convs.add(List.of(depthwise, pointwise));
                norms.add(List.of(bnDepthwise, bnPointwise));
            }
            in = out;
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

    /** One unit up to its last BatchNorm: the pre-activation of its output. */
    private NDArray unitBeforeRelu(int u, ParameterStore ps, NDArray x, boolean training) {
        List<Conv> c = convs.get(u);
        List<Bn> n = norms.get(u);
        NDArray h = x;
        for (int j = 0; j < c.size(); j++) {
            if (j > 0) {
                h = Functional.relu(h);
            }
            h = run(n.get(j), ps, run(c.get(j), ps, h, training), training);
        }
        return h;
    }

    @Override
    public NetworkOutput forward(ParameterStore ps, NDArray images, boolean training, boolean preActivation) {
        requireSupportedSize(images.getShape());
        List<NDArray> features = new ArrayList<>();
        List<NDArray> pre = new ArrayList<>();
        NDArray x = images;
        for (int u = 0; u < UNITS.length; u++) {
            NDArray p = unitBeforeRelu(u, ps, x, training);
            x = Functional.relu(p);
            if (TAPPED.contains(u)) {
                features.add(x);
                pre.add(p);
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
}
