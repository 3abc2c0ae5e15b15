package dev.hkd.training.models.imagenet;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;
import dev.hkd.api.NetworkOutput;
import dev.hkd.training.models.FeatureNetwork;
import dev.hkd.training.models.nn.Container;
import dev.hkd.training.models.nn.Conv;
import dev.hkd.training.models.nn.ConvBn;
import dev.hkd.training.models.nn.Fc;
import dev.hkd.training.models.nn.Functional;
import dev.hkd.training.models.nn.Module;
import dev.hkd.training.models.nn.ResNetBasicBlock;
import dev.hkd.training.models.nn.ResNetBottleneck;
import java.util.ArrayList;
import java.util.List;

/**
 * The ImageNet ResNets of torchvision (resnet18, resnet34, resnet50), with torchvision's module
 * tree, state-dict names and initialisation, so that a torchvision checkpoint converted to
 * safetensors loads unchanged: 7×7 stride-2 stem conv + BN + ReLU, 3×3 stride-2 max-pool, four
 * stages of BasicBlocks or bottlenecks (stride on the 3×3 conv, projection named
 * {@code downsample}), global average pooling and {@code fc}.
 *
 * <p>Feature taps as mdistiller's {@code imagenet/resnet.py}, which moves each block's last ReLU
 * to the start of the next block without changing the logits: feature 0 is the stem after its
 * ReLU and <em>before</em> the max-pool; features 1–4 are the outputs of {@code layer1…layer4}
 * after the last block's ReLU, and their pre-activation versions the residual sums before it;
 * the last feature is the pooled vector. mdistiller's pre-activation stem is the stem after the
 * ReLU (its tensor is overwritten by the in-place ReLU), and so it is here.
 *
 * <p>The pooling is adaptive (torchvision's {@code AdaptiveAvgPool2d(1)}): any input from 33×33
 * up runs, 64×64 (Tiny-ImageNet) ending at a 2×2 map. mdistiller's fixed {@code AvgPool2d(7)}
 * agrees with it on 224×224 inputs only.
 */
public final class TorchvisionResNet extends FeatureNetwork {

    /** Blocks per stage and block kind of each depth. */
    public enum Depth {
        RESNET18("resnet18", new int[] {2, 2, 2, 2}, false),
        RESNET34("resnet34", new int[] {3, 4, 6, 3}, false),
        RESNET50("resnet50", new int[] {3, 4, 6, 3}, true);

        private final String modelName;
        private final int[] blocks;
        private final boolean bottleneck;

        Depth(String modelName, int[] blocks, boolean bottleneck) {
            this.modelName = modelName;
            this.blocks = blocks;
            this.bottleneck = bottleneck;
        }

        /** The model's id in the zoo, torchvision's function name. */
        public String modelName() {
            return modelName;
        }
    }

    private static final int[] PLANES = {64, 128, 256, 512};
    private final Depth depth;
    private final ConvBn stem;
    private final List<List<Module>> stages = new ArrayList<>();
    private final Fc fc;

    public TorchvisionResNet(Depth depth, int numClasses) {
        this.depth = depth;
        stem = convBn(1, Conv.same(3, 64, 7, 2, false, Conv.Init.FAN_OUT_NORMAL));
        long in = 64;
        for (int stage = 0; stage < 4; stage++) {
            Container layer = child("layer" + (stage + 1), new Container());
            List<Module> blocks = new ArrayList<>();
            for (int i = 0; i < depth.blocks[stage]; i++) {
                int stride = stage > 0 && i == 0 ? 2 : 1;
                String name = Integer.toString(i);
                if (depth.bottleneck) {
                    blocks.add(layer.add(name, new ResNetBottleneck(in, PLANES[stage], stride, "downsample")));
                    in = (long) PLANES[stage] * ResNetBottleneck.EXPANSION;
                } else {
                    blocks.add(layer.add(name, new ResNetBasicBlock(in, PLANES[stage], stride)));
                    in = PLANES[stage];
                }
            }
            stages.add(blocks);
        }
        fc = child("fc", new Fc(in, numClasses, Fc.Init.PYTORCH_DEFAULT));
    }

    @Override
    public String modelName() {
        return depth.modelName();
    }

    @Override
    public NetworkOutput forward(ParameterStore ps, NDArray images, boolean training, boolean preActivation) {
        NDArray tapped = stem.applyRelu(ps, images, training);
        return runStages(ps, tapped, Functional.maxPool3Stride2(tapped), stages, x -> x, fc, training, preActivation);
    }
}
