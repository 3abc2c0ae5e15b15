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
 * The reference's ShuffleV1 (groups 3, stages of 240/480/960 channels with 4/8/4 blocks, 1×1
 * stem without pooling, PyTorch default init). A stage's first block halves the size and
 * concatenates a 3×3 average pool of its input.
 */
public final class ShuffleNetV1 extends FeatureNetwork {

    private static final int GROUPS = 3;
    private static final int[] OUT = {240, 480, 960};
    private static final int[] BLOCKS = {4, 8, 4};
    private final ConvBn stem;
    private final List<List<Bottleneck>> stages = new ArrayList<>();
    private final Fc linear;

    public ShuffleNetV1(int numClasses) {
        stem = convBn(1, Conv.same(3, 24, 1, 1, false, Conv.Init.PYTORCH_DEFAULT));
        long in = 24;
        for (int s = 0; s < 3; s++) {
            Container layer = child("layer" + (s + 1), new Container());
            List<Bottleneck> blocks = new ArrayList<>();
            for (int i = 0; i < BLOCKS[s]; i++) {
                long concatenated = i == 0 ? in : 0;
                blocks.add(layer.add(Integer.toString(i), new Bottleneck(in, OUT[s] - concatenated, i == 0 ? 2 : 1)));
                in = OUT[s];
            }
            stages.add(blocks);
        }
        linear = child("linear", new Fc(in, numClasses, Fc.Init.PYTORCH_DEFAULT));
    }

    @Override
    public String modelName() {
        return "ShuffleV1";
    }

    @Override
    public NetworkOutput forward(ParameterStore ps, NDArray images, boolean training, boolean preActivation) {
        return runStages(ps, stem.applyRelu(ps, images, training), stages, x -> x, linear, training, preActivation);
    }

    /** Grouped 1×1 + BN + ReLU, shuffle, depthwise 3×3 + BN + ReLU, grouped 1×1 + BN; add or concatenate the shortcut. */
    static final class Bottleneck extends Module {

        private final ConvBn reduce;
        private final ConvBn depthwise;
        private final ConvBn expand;
        private final int firstGroups;
        private final int stride;

        Bottleneck(long in, long out, int stride) {
            this.stride = stride;
            long mid = out / 4;
            firstGroups = in == 24 ? 1 : GROUPS;
            reduce = convBn(1, new Conv(in, mid, 1, 1, 0, firstGroups, false, Conv.Init.PYTORCH_DEFAULT));
            depthwise = convBn(2, Conv.depthwise(mid, stride, Conv.Init.PYTORCH_DEFAULT));
            expand = convBn(3, new Conv(mid, out, 1, 1, 0, GROUPS, false, Conv.Init.PYTORCH_DEFAULT));
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            NDArray x = inputs.head();
            NDArray h = Functional.channelShuffle(reduce.applyRelu(ps, x, training), firstGroups);
            h = depthwise.applyRelu(ps, h, training);
            h = expand.apply(ps, h, training);
            NDArray pre = stride == 2 ? h.concat(Functional.avgPool3Stride2(x), 1) : h.add(x);
            return new NDList(Functional.relu(pre), pre);
        }
    }
}
