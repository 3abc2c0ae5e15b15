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

/** The CIFAR variant of ResNet50 (docs/methods.md#models): 3×3 stem without max-pool, bottlenecks [3, 4, 6, 3]. */
public final class ResNet50 extends FeatureNetwork {

    private static final int[] BLOCKS = {3, 4, 6, 3};
    private static final int[] PLANES = {64, 128, 256, 512};
    private final Conv conv1;
    private final Bn bn1;
    private final List<List<Bottleneck>> stages = new ArrayList<>();
    private final Fc linear;

    public ResNet50(int numClasses) {
        conv1 = child("conv1", Conv.same(3, 64, 3, 1, false, Conv.Init.FAN_OUT_NORMAL));
        bn1 = child("bn1", new Bn(64));
        long in = 64;
        for (int stage = 0; stage < 4; stage++) {
            Container layer = child("layer" + (stage + 1), new Container());
            List<Bottleneck> blocks = new ArrayList<>();
            for (int i = 0; i < BLOCKS[stage]; i++) {
                int stride = stage > 0 && i == 0 ? 2 : 1;
                blocks.add(layer.add(Integer.toString(i), new Bottleneck(in, PLANES[stage], stride)));
                in = PLANES[stage] * 4L;
            }
            stages.add(blocks);
        }
        linear = child("linear", new Fc(in, numClasses, Fc.Init.PYTORCH_DEFAULT));
    }

    @Override
    public String modelName() {
        return "ResNet50";
    }

    @Override
    public NetworkOutput forward(ParameterStore ps, NDArray images, boolean training, boolean preActivation) {
        NDArray stem = Functional.relu(run(bn1, ps, run(conv1, ps, images, training), training));
        return runStages(ps, stem, stages, x -> x, linear, training, preActivation);
    }

    /** 1×1 → BN → ReLU → 3×3 (stride) → BN → ReLU → 1×1 (×4) → BN, plus a projection shortcut when needed. */
    static final class Bottleneck extends Module {

        private final Conv conv1;
        private final Bn bn1;
        private final Conv conv2;
        private final Bn bn2;
        private final Conv conv3;
        private final Bn bn3;
        private final Container shortcut;

        Bottleneck(long in, long planes, int stride) {
            conv1 = child("conv1", Conv.same(in, planes, 1, 1, false, Conv.Init.FAN_OUT_NORMAL));
            bn1 = child("bn1", new Bn(planes));
            conv2 = child("conv2", Conv.same(planes, planes, 3, stride, false, Conv.Init.FAN_OUT_NORMAL));
            bn2 = child("bn2", new Bn(planes));
            conv3 = child("conv3", Conv.same(planes, planes * 4, 1, 1, false, Conv.Init.FAN_OUT_NORMAL));
            bn3 = child("bn3", new Bn(planes * 4));
            if (stride != 1 || in != planes * 4) {
                shortcut = child("shortcut", new Container());
                shortcut.add("0", Conv.same(in, planes * 4, 1, stride, false, Conv.Init.FAN_OUT_NORMAL));
                shortcut.add("1", new Bn(planes * 4));
            } else {
                shortcut = null;
            }
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            NDArray x = inputs.head();
            NDArray h = Functional.relu(run(bn1, ps, run(conv1, ps, x, training), training));
            h = Functional.relu(run(bn2, ps, run(conv2, ps, h, training), training));
            h = run(bn3, ps, run(conv3, ps, h, training), training);
            NDArray s = shortcut == null ? x : run(shortcut.get("1"), ps, run(shortcut.get("0"), ps, x, training), training);
            NDArray pre = h.add(s);
            return new NDList(Functional.relu(pre), pre);
        }
    }
}
