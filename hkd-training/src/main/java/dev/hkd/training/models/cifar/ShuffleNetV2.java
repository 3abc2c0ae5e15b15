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
 * The reference's ShuffleV2, net size 1 (docs/methods.md#models): 1×1 stem without pooling, stages of
 * 116/232/464 channels (one DownBlock and 3/7/3 BasicBlocks), 1×1 conv to 1024, PyTorch default init.
 * A BasicBlock's pre-activation feature is {@code concat[x1, pre]} before the shuffle.
 */
public final class ShuffleNetV2 extends FeatureNetwork {

    private static final int[] OUT = {116, 232, 464};
    private static final int[] BLOCKS = {3, 7, 3};
    private final Conv conv1;
    private final Bn bn1;
    private final List<List<Module>> stages = new ArrayList<>();
    private final Conv conv2;
    private final Bn bn2;
    private final Fc linear;

    public ShuffleNetV2(int numClasses) {
        conv1 = child("conv1", Conv.same(3, 24, 1, 1, false, Conv.Init.PYTORCH_DEFAULT));
        bn1 = child("bn1", new Bn(24));
        long in = 24;
        for (int s = 0; s < 3; s++) {
            Container layer = child("layer" + (s + 1), new Container());
            List<Module> blocks = new ArrayList<>();
            blocks.add(layer.add("0", new DownBlock(in, OUT[s])));
            for (int i = 0; i < BLOCKS[s]; i++) {
                blocks.add(layer.add(Integer.toString(i + 1), new BasicBlock(OUT[s])));
            }
            in = OUT[s];
            stages.add(blocks);
        }
        conv2 = child("conv2", Conv.same(in, 1024, 1, 1, false, Conv.Init.PYTORCH_DEFAULT));
        bn2 = child("bn2", new Bn(1024));
        linear = child("linear", new Fc(1024, numClasses, Fc.Init.PYTORCH_DEFAULT));
    }

    @Override
    public String modelName() {
        return "ShuffleV2";
    }

    @Override
    public NetworkOutput forward(ParameterStore ps, NDArray images, boolean training, boolean preActivation) {
        NDArray stem = Functional.relu(run(bn1, ps, run(conv1, ps, images, training), training));
        return runStages(
                ps,
                stem,
                stages,
                x -> Functional.relu(run(bn2, ps, run(conv2, ps, x, training), training)),
                linear,
                training,
                preActivation);
    }

    /** Split the channels in half; the second half through 1×1, depthwise 3×3, 1×1; concatenate; shuffle. */
    static final class BasicBlock extends Module {

        private final long half;
        private final Conv conv1;
        private final Bn bn1;
        private final Conv conv2;
        private final Bn bn2;
        private final Conv conv3;
        private final Bn bn3;

        BasicBlock(long channels) {
            half = channels / 2;
            conv1 = child("conv1", Conv.same(half, half, 1, 1, false, Conv.Init.PYTORCH_DEFAULT));
            bn1 = child("bn1", new Bn(half));
            conv2 = child("conv2", new Conv(half, half, 3, 1, 1, (int) half, false, Conv.Init.PYTORCH_DEFAULT));
            bn2 = child("bn2", new Bn(half));
            conv3 = child("conv3", Conv.same(half, half, 1, 1, false, Conv.Init.PYTORCH_DEFAULT));
            bn3 = child("bn3", new Bn(half));
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            NDArray x = inputs.head();
            NDArray x1 = x.get(":, 0:" + half);
            NDArray x2 = x.get(":, " + half + ":");
            NDArray h = Functional.relu(run(bn1, ps, run(conv1, ps, x2, training), training));
            h = run(bn2, ps, run(conv2, ps, h, training), training);
            NDArray pre = run(bn3, ps, run(conv3, ps, h, training), training);
            NDArray out = Functional.channelShuffle(x1.concat(Functional.relu(pre), 1), 2);
            return new NDList(out, x1.concat(pre, 1));
        }
    }

    /** Both branches at stride 2: left depthwise 3×3 then 1×1; right 1×1, depthwise 3×3, 1×1; concatenate; shuffle. */
    static final class DownBlock extends Module {

        private final Conv conv1;
        private final Bn bn1;
        private final Conv conv2;
        private final Bn bn2;
        private final Conv conv3;
        private final Bn bn3;
        private final Conv conv4;
        private final Bn bn4;
        private final Conv conv5;
        private final Bn bn5;

        DownBlock(long in, long out) {
            long mid = out / 2;
            conv1 = child("conv1", new Conv(in, in, 3, 2, 1, (int) in, false, Conv.Init.PYTORCH_DEFAULT));
            bn1 = child("bn1", new Bn(in));
            conv2 = child("conv2", Conv.same(in, mid, 1, 1, false, Conv.Init.PYTORCH_DEFAULT));
            bn2 = child("bn2", new Bn(mid));
            conv3 = child("conv3", Conv.same(in, mid, 1, 1, false, Conv.Init.PYTORCH_DEFAULT));
            bn3 = child("bn3", new Bn(mid));
            conv4 = child("conv4", new Conv(mid, mid, 3, 2, 1, (int) mid, false, Conv.Init.PYTORCH_DEFAULT));
            bn4 = child("bn4", new Bn(mid));
            conv5 = child("conv5", Conv.same(mid, mid, 1, 1, false, Conv.Init.PYTORCH_DEFAULT));
            bn5 = child("bn5", new Bn(mid));
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            NDArray x = inputs.head();
            NDArray left = run(bn1, ps, run(conv1, ps, x, training), training);
            left = Functional.relu(run(bn2, ps, run(conv2, ps, left, training), training));
            NDArray right = Functional.relu(run(bn3, ps, run(conv3, ps, x, training), training));
            right = run(bn4, ps, run(conv4, ps, right, training), training);
            right = Functional.relu(run(bn5, ps, run(conv5, ps, right, training), training));
            return new NDList(Functional.channelShuffle(left.concat(right, 1), 2));
        }
    }
}
