package dev.hkd.training.models.cifar;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;
import dev.hkd.api.NetworkOutput;
import dev.hkd.training.models.FeatureNetwork;
import dev.hkd.training.models.nn.Container;
import dev.hkd.training.models.nn.Conv;
import dev.hkd.training.models.nn.ConvBn;
import dev.hkd.training.models.nn.Fc;
import dev.hkd.training.models.nn.ResNetBasicBlock;
import java.util.ArrayList;
import java.util.List;

/**
 * The CIFAR ResNets of the reference zoo (docs/methods.md#models): resnet8…110 (widths 16-16-32-64)
 * and resnet8x4/32x4 (32-64-128-256), depth 6n+2 with n BasicBlocks per stage.
 */
public final class ResNetCifar extends FeatureNetwork {

    private final String name;
    private final ConvBn stem;
    private final List<List<ResNetBasicBlock>> stages = new ArrayList<>();
    private final Fc fc;

    public ResNetCifar(String name, int depth, int[] widths, int numClasses) {
        this.name = name;
        int n = (depth - 2) / 6;
        stem = convBn(1, Conv.same(3, widths[0], 3, 1, false, Conv.Init.FAN_OUT_NORMAL));
        long in = widths[0];
        for (int stage = 0; stage < 3; stage++) {
            Container layer = child("layer" + (stage + 1), new Container());
            List<ResNetBasicBlock> blocks = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int stride = stage > 0 && i == 0 ? 2 : 1;
                blocks.add(layer.add(Integer.toString(i), new ResNetBasicBlock(in, widths[stage + 1], stride)));
                in = widths[stage + 1];
            }
            stages.add(blocks);
        }
        fc = child("fc", new Fc(in, numClasses, Fc.Init.PYTORCH_DEFAULT));
    }

    @Override
    public String modelName() {
        return name;
    }

    @Override
    public NetworkOutput forward(ParameterStore ps, NDArray images, boolean training, boolean preActivation) {
        return runStages(ps, stem.applyRelu(ps, images, training), stages, x -> x, fc, training, preActivation);
    }

    /** The last block's second BatchNorm in each stage: it feeds the stage's final ReLU (through the shortcut's sum). */
    @Override
    public List<NormAffine> batchNormsBeforeActivation() {
        return stages.stream()
                .map(blocks -> NormAffine.of(blocks.get(blocks.size() - 1).outputBatchNorm()))
                .toList();
    }
}
