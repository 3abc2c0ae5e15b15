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
 * The reference's ShuffleV2, net size 1 (docs/methods.md#models): 1×1 stem without pooling, stages of
 * 116/232/464 channels (one DownBlock and 3/7/3 BasicBlocks), 1×1 conv to 1024, PyTorch default init.
 * A BasicBlock's pre-activation feature is {@code concat[x1, pre]} before the shuffle.
 */
public final class ShuffleNetV2 extends FeatureNetwork {

    private static final int[] OUT = {116, 232, 464};
    private static final int[] BLOCKS = {3, 7, 3};
    private final ConvBn stem;
    private final List<List<Module>> stages = new ArrayList<>();
    private final ConvBn head;
    private final Fc linear;

    public ShuffleNetV2(int numClasses) {
        stem = convBn(1, Conv.same(3, 24, 1, 1, false, Conv.Init.PYTORCH_DEFAULT));
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
        head = convBn(2, Conv.same(in, 1024, 1, 1, false, Conv.Init.PYTORCH_DEFAULT));
        linear = child("linear", new Fc(1024, numClasses, Fc.Init.PYTORCH_DEFAULT));
    }

    @Override
    public String modelName() {
        return "ShuffleV2";
    }

    @Override
    public NetworkOutput forward(ParameterStore ps, NDArray images, boolean training, boolean preActivation) {
        return runStages(
                ps,
                stem.applyRelu(ps, images, training),
                stages,
                x -> head.applyRelu(ps, x, training),
                linear,
                training,
                preActivation);
    }

    /** Split the channels in half; the second half through 1×1, depthwise 3×3, 1×1; concatenate; shuffle. */
    static final class BasicBlock extends Module {

        private final long half;
        private final ConvBn reduce;
        private final ConvBn depthwise;
        private final ConvBn expand;

        BasicBlock(long channels) {
            half = channels / 2;
            reduce = convBn(1, Conv.same(half, half, 1, 1, false, Conv.Init.PYTORCH_DEFAULT));
            depthwise = convBn(2, Conv.depthwise(half, 1, Conv.Init.PYTORCH_DEFAULT));
            expand = convBn(3, Conv.same(half, half, 1, 1, false, Conv.Init.PYTORCH_DEFAULT));
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            NDArray x = inputs.head();
            NDArray x1 = x.get(":, 0:" + half);
            NDArray x2 = x.get(":, " + half + ":");
            NDArray h = depthwise.apply(ps, reduce.applyRelu(ps, x2, training), training);
            NDArray pre = expand.apply(ps, h, training);
            NDArray out = Functional.channelShuffle(x1.concat(Functional.relu(pre), 1), 2);
            return new NDList(out, x1.concat(pre, 1));
        }
    }

    /** Both branches at stride 2: left depthwise 3×3 then 1×1; right 1×1, depthwise 3×3, 1×1; concatenate; shuffle. */
    static final class DownBlock extends Module {

        private final ConvBn leftDepthwise;
        private final ConvBn leftPointwise;
        private final ConvBn rightReduce;
        private final ConvBn rightDepthwise;
        private final ConvBn rightPointwise;

        DownBlock(long in, long out) {
            long mid = out / 2;
            leftDepthwise = convBn(1, Conv.depthwise(in, 2, Conv.Init.PYTORCH_DEFAULT));
            leftPointwise = convBn(2, Conv.same(in, mid, 1, 1, false, Conv.Init.PYTORCH_DEFAULT));
            rightReduce = convBn(3, Conv.same(in, mid, 1, 1, false, Conv.Init.PYTORCH_DEFAULT));
            rightDepthwise = convBn(4, Conv.depthwise(mid, 2, Conv.Init.PYTORCH_DEFAULT));
            rightPointwise = convBn(5, Conv.same(mid, mid, 1, 1, false, Conv.Init.PYTORCH_DEFAULT));
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            NDArray x = inputs.head();
            NDArray left = leftPointwise.applyRelu(ps, leftDepthwise.apply(ps, x, training), training);
            NDArray right = rightDepthwise.apply(ps, rightReduce.applyRelu(ps, x, training), training);
            right = rightPointwise.applyRelu(ps, right, training);
            return new NDList(Functional.channelShuffle(left.concat(right, 1), 2));
        }
    }
}
