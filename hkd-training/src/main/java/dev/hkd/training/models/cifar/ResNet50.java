package dev.hkd.training.models.cifar;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;
import dev.hkd.api.NetworkOutput;
import dev.hkd.training.models.FeatureNetwork;
import dev.hkd.training.models.nn.Container;
import dev.hkd.training.models.nn.Conv;
import dev.hkd.training.models.nn.ConvBn;
import dev.hkd.training.models.nn.Fc;
import dev.hkd.training.models.nn.ResNetBottleneck;
import java.util.ArrayList;
import java.util.List;

/** The CIFAR variant of ResNet50 (docs/methods.md#models): 3×3 stem without max-pool, bottlenecks [3, 4, 6, 3]. */
public final class ResNet50 extends FeatureNetwork {

    private static final int[] BLOCKS = {3, 4, 6, 3};
    private static final int[] PLANES = {64, 128, 256, 512};
    private final ConvBn stem;
    private final List<List<ResNetBottleneck>> stages = new ArrayList<>();
    private final Fc linear;

    public ResNet50(int numClasses) {
        stem = convBn(1, Conv.same(3, 64, 3, 1, false, Conv.Init.FAN_OUT_NORMAL));
        long in = 64;
        for (int stage = 0; stage < 4; stage++) {
            Container layer = child("layer" + (stage + 1), new Container());
            List<ResNetBottleneck> blocks = new ArrayList<>();
            for (int i = 0; i < BLOCKS[stage]; i++) {
                int stride = stage > 0 && i == 0 ? 2 : 1;
                blocks.add(layer.add(Integer.toString(i), new ResNetBottleneck(in, PLANES[stage], stride, "shortcut")));
                in = (long) PLANES[stage] * ResNetBottleneck.EXPANSION;
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
        return runStages(ps, stem.applyRelu(ps, images, training), stages, x -> x, linear, training, preActivation);
    }
}
