package dev.hkd.training.models.cifar;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
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
 * The reference's "MobileNetV2": expansion 6, width × 0.5, stride-2 stem, the 1×1 expansion kept
 * even for t = 1 (docs/methods.md#models). Pre-activation features are the ordinary ones.
 */
public final class MobileNetV2Half extends FeatureNetwork {

    private static final int[][] SETTINGS = {
        {1, 16, 1, 1}, {6, 24, 2, 1}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}
    };
    private final ConvBn stem;
    private final List<List<InvertedResidual>> groups = new ArrayList<>();
    private final ConvBn head;
    private final Fc classifier;

    public MobileNetV2Half(int numClasses) {
        stem = child("conv1", new Container())
                .addConvBn("0", Conv.same(3, 16, 3, 2, false, Conv.Init.FAN_OUT_NORMAL), "1");
        Container blocks = child("blocks", new Container());
        long in = 16;
        for (int g = 0; g < SETTINGS.length; g++) {
            int t = SETTINGS[g][0];
            long out = SETTINGS[g][1] / 2;
            Container group = blocks.add(Integer.toString(g), new Container());
            List<InvertedResidual> list = new ArrayList<>();
            for (int i = 0; i < SETTINGS[g][2]; i++) {
                list.add(group.add(Integer.toString(i), new InvertedResidual(in, out, i == 0 ? SETTINGS[g][3] : 1, t)));
                in = out;
            }
            groups.add(list);
        }
        head = child("conv2", new Container())
                .addConvBn("0", Conv.same(in, 1280, 1, 1, false, Conv.Init.FAN_OUT_NORMAL), "1");
        classifier = child("classifier", new Container()).add("0", new Fc(1280, numClasses, Fc.Init.SMALL_NORMAL));
    }

    @Override
    public String modelName() {
        return "MobileNetV2";
    }

    @Override
    public NetworkOutput forward(ParameterStore ps, NDArray images, boolean training, boolean preActivation) {
        NDArray x = stem.applyRelu(ps, images, training);
        List<NDArray> features = new ArrayList<>(List.of(x));
        for (int g = 0; g < groups.size(); g++) {
            for (InvertedResidual block : groups.get(g)) {
                x = run(block, ps, x, training);
            }
            if (g == 1 || g == 2 || g == 4 || g == 6) {
                features.add(x);
            }
        }
        x = head.applyRelu(ps, x, training);
        // AvgPool2d(2, ceil_mode) on the 2×2 map of a 32×32 input is the global mean.
        NDArray pooled = Functional.globalAveragePool(x);
        features.add(pooled);
        return new NetworkOutput(run(classifier, ps, pooled, training), features, preActivation ? features : List.of());
    }

    /** 1×1 expand + BN + ReLU, 3×3 depthwise (stride) + BN + ReLU, 1×1 project + BN; residual when shapes allow. */
    static final class InvertedResidual extends Module {

        private final ConvBn expand;
        private final ConvBn depthwise;
        private final ConvBn project;
        private final boolean residual;

        InvertedResidual(long in, long out, int stride, int expansion) {
            long hidden = in * expansion;
            Container conv = child("conv", new Container());
            // Indices 2 and 5 are the reference's parameter-free ReLUs.
            expand = conv.addConvBn("0", Conv.same(in, hidden, 1, 1, false, Conv.Init.FAN_OUT_NORMAL), "1");
            depthwise = conv.addConvBn("3", Conv.depthwise(hidden, stride, Conv.Init.FAN_OUT_NORMAL), "4");
            project = conv.addConvBn("6", Conv.same(hidden, out, 1, 1, false, Conv.Init.FAN_OUT_NORMAL), "7");
            residual = stride == 1 && in == out;
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            NDArray x = inputs.head();
            NDArray h = depthwise.applyRelu(ps, expand.applyRelu(ps, x, training), training);
            h = project.apply(ps, h, training);
            return new NDList(residual ? x.add(h) : h);
        }
    }
}
