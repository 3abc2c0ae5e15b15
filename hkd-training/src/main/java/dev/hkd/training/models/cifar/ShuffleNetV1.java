package dev.hkd.training.models.cifar;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.hkd.api.NetworkOutput;
import dev.hkd.training.models.FeatureNetwork;
import dev.hkd.training.models.nn.Bn;
import dev.hkd.training.models.nn.Container;
import dev.hkd.training.models.nn.Conv;
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
    private final Conv conv1;
    private final Bn bn1;
    private final List<List<Bottleneck>> stages = new ArrayList<>();
    private final Fc linear;

    public ShuffleNetV1(int numClasses) {
        conv1 = child("conv1", Conv.same(3, 24, 1, 1, false, Conv.Init.PYTORCH_DEFAULT));
        bn1 = child("bn1", new Bn(24));
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
        NDArray stem = Functional.relu(run(bn1, ps, run(conv1, ps, images, training), training));
        return runStages(ps, stem, stages, x -> x, linear, training, preActivation);
    }

    /** Grouped 1×1 + BN + ReLU, shuffle, depthwise 3×3 + BN + ReLU, grouped 1×1 + BN; add or concatenate the shortcut. */
    static final class Bottleneck extends Module {

        private final Conv conv1;
        private final Bn bn1;
        private final Conv conv2;
        private final Bn bn2;
        private final Conv conv3;
        private final Bn bn3;
        private final int firstGroups;
        private final int stride;

        Bottleneck(long in, long out, int stride) {
            this.stride = stride;
            long mid = out / 4;
            firstGroups = in == 24 ? 1 : GROUPS;
            conv1 = child("conv1", new Conv(in, mid, 1, 1, 0, firstGroups, false, Conv.Init.PYTORCH_DEFAULT));
            bn1 = child("bn1", new Bn(mid));
            conv2 = child("conv2", new Conv(mid, mid, 3, stride, 1, (int) mid, false, Conv.Init.PYTORCH_DEFAULT));
            bn2 = child("bn2", new Bn(mid));
            conv3 = child("conv3", new Conv(mid, out, 1, 1, 0, GROUPS, false, Conv.Init.PYTORCH_DEFAULT));
            bn3 = child("bn3", new Bn(out));
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            NDArray x = inputs.head();
            NDArray h = Functional.relu(run(bn1, ps, run(conv1, ps, x, training), training));
            h = Functional.channelShuffle(h, firstGroups);
            h = Functional.relu(run(bn2, ps, run(conv2, ps, h, training), training));
            h = run(bn3, ps, run(conv3, ps, h, training), training);
            NDArray pre = stride == 2 ? h.concat(Functional.avgPool3Stride2(x), 1) : h.add(x);
            return new NDList(Functional.relu(pre), pre);
        }
    }
}
