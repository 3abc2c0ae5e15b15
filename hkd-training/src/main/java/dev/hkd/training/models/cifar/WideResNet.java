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
import java.util.stream.Stream;

/**
 * Pre-activation wide ResNets wrn_d_k (docs/methods.md#models). With pre-activation features, each
 * stage output goes through the BatchNorm that follows it (the next stage's first BN, or the
 * final BN) — in training mode that BN runs twice, as in the reference.
 */
public final class WideResNet extends FeatureNetwork {

    private final String name;
    private final Conv conv1;
    private final List<List<Block>> stages = new ArrayList<>();
    private final Bn bn1;
    private final Fc fc;

    public WideResNet(String name, int depth, int widen, int numClasses) {
        this.name = name;
        int n = (depth - 4) / 6;
        long[] channels = {16, 16L * widen, 32L * widen, 64L * widen};
        conv1 = child("conv1", Conv.same(3, 16, 3, 1, false, Conv.Init.FAN_OUT_NORMAL));
        for (int stage = 0; stage < 3; stage++) {
            Container network = child("block" + (stage + 1), new Container());
            Container layer = network.add("layer", new Container());
            List<Block> blocks = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                long in = i == 0 ? channels[stage] : channels[stage + 1];
                int stride = i == 0 && stage > 0 ? 2 : 1;
                blocks.add(layer.add(Integer.toString(i), new Block(in, channels[stage + 1], stride)));
            }
            stages.add(blocks);
        }
        bn1 = child("bn1", new Bn(channels[3]));
        fc = child("fc", new Fc(channels[3], numClasses, Fc.Init.ZERO_BIAS));
    }

    @Override
    public String modelName() {
        return name;
    }

    @Override
    public NetworkOutput forward(ParameterStore ps, NDArray images, boolean training, boolean preActivation) {
        NDArray x = run(conv1, ps, images, training);
        List<NDArray> features = new ArrayList<>(List.of(x));
        for (List<Block> stage : stages) {
            for (Block block : stage) {
                x = run(block, ps, x, training);
            }
            features.add(x);
        }
        NDArray pooled = Functional.globalAveragePool(Functional.relu(run(bn1, ps, x, training)));
        List<NDArray> pre = List.of();
        if (preActivation) {
            pre = new ArrayList<>(features);
            pre.set(1, run(stages.get(1).get(0).bn1, ps, features.get(1), training));
            pre.set(2, run(stages.get(2).get(0).bn1, ps, features.get(2), training));
            pre.set(3, run(bn1, ps, features.get(3), training));
            pre.add(pooled);
        }
        features.add(pooled);
        return new NetworkOutput(run(fc, ps, pooled, training), features, pre);
    }

    /** The BatchNorms that make the pre-activation features: the next stage's first, and the final one. */
    @Override
    public List<NormAffine> batchNormsBeforeActivation() {
        return Stream.of(stages.get(1).get(0).bn1, stages.get(2).get(0).bn1, bn1)
                .map(NormAffine::of)
                .toList();
    }

    /** BN → ReLU → conv (stride) → BN → ReLU → conv, plus x or a 1×1 conv of the activated x. */
    static final class Block extends Module {

        private final Bn bn1;
        private final Conv conv1;
        private final Bn bn2;
        private final Conv conv2;
        private final Conv convShortcut;

        Block(long in, long out, int stride) {
            bn1 = child("bn1", new Bn(in));
            conv1 = child("conv1", Conv.same(in, out, 3, stride, false, Conv.Init.FAN_OUT_NORMAL));
            bn2 = child("bn2", new Bn(out));
            conv2 = child("conv2", Conv.same(out, out, 3, 1, false, Conv.Init.FAN_OUT_NORMAL));
            convShortcut = in == out
                    ? null
                    : child("convShortcut", Conv.same(in, out, 1, stride, false, Conv.Init.FAN_OUT_NORMAL));
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            NDArray x = inputs.head();
            NDArray activated = Functional.relu(run(bn1, ps, x, training));
            NDArray o = Functional.relu(run(bn2, ps, run(conv1, ps, activated, training), training));
            o = run(conv2, ps, o, training);
            return new NDList((convShortcut == null ? x : run(convShortcut, ps, activated, training)).add(o));
        }
    }
}
