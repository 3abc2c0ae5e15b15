package dev.hkd.training.models.cifar;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;
import dev.hkd.api.NetworkOutput;
import dev.hkd.training.models.FeatureNetwork;
import dev.hkd.training.models.nn.Bn;
import dev.hkd.training.models.nn.Container;
import dev.hkd.training.models.nn.Conv;
import dev.hkd.training.models.nn.Fc;
import dev.hkd.training.models.nn.Functional;
import java.util.ArrayList;
import java.util.List;

/**
 * VGG with BatchNorm and no FC stack (docs/methods.md#models): five blocks of 3×3 conv (with bias) +
 * BN, ReLU between convs and the block's last ReLU applied outside it (so pre-activation can be
 * tapped); max-pool after blocks 0–2 (after block 3 only for 64×64 inputs), global pool, linear.
 */
public final class Vgg extends FeatureNetwork {

    private final String name;
    private final List<List<Conv>> convs = new ArrayList<>();
    private final List<List<Bn>> norms = new ArrayList<>();
    private final Fc classifier;

    /** @param config channels of each conv, per block */
    public Vgg(String name, int[][] config, int numClasses) {
        this.name = name;
        long in = 3;
        for (int b = 0; b < config.length; b++) {
            Container block = child("block" + b, new Container());
            List<Conv> c = new ArrayList<>();
            List<Bn> n = new ArrayList<>();
            for (int j = 0; j < config[b].length; j++) {
                // PyTorch indices of [conv, bn, relu] triples; the block's trailing ReLU is dropped.
                c.add(block.add(
                        Integer.toString(3 * j), Conv.same(in, config[b][j], 3, 1, true, Conv.Init.FAN_OUT_NORMAL)));
                n.add(block.add(Integer.toString(3 * j + 1), new Bn(config[b][j])));
                in = config[b][j];
            }
            convs.add(c);
            norms.add(n);
        }
        classifier = child("classifier", new Fc(in, numClasses, Fc.Init.SMALL_NORMAL));
    }

    @Override
    public String modelName() {
        return name;
    }

    private NDArray block(int b, ParameterStore ps, NDArray x, boolean training) {
        for (int j = 0; j < convs.get(b).size(); j++) {
            if (j > 0) {
                x = Functional.relu(x);
            }
            x = run(norms.get(b).get(j), ps, run(convs.get(b).get(j), ps, x, training), training);
        }
        return x;
    }

    @Override
    public NetworkOutput forward(ParameterStore ps, NDArray images, boolean training, boolean preActivation) {
        long h = images.getShape().get(2);
        NDArray x = Functional.relu(block(0, ps, images, training));
        List<NDArray> features = new ArrayList<>(List.of(x));
        List<NDArray> pre = new ArrayList<>(List.of(x));
        x = Functional.maxPool2(x);
        for (int b = 1; b < 5; b++) {
            NDArray p = block(b, ps, x, training);
            pre.add(p);
            x = Functional.relu(p);
            features.add(x);
            if (b < 3 || (b == 3 && h == 64)) {
                x = Functional.maxPool2(x);
            }
        }
        NDArray pooled = Functional.globalAveragePool(x);
        features.add(pooled);
        pre.add(pooled);
        return new NetworkOutput(run(classifier, ps, pooled, training), features, preActivation ? pre : List.of());
    }
}
