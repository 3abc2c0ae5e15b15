package dev.hkd.training.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import dev.hkd.api.NetworkOutput;
import dev.hkd.training.models.nn.Conv;
import dev.hkd.training.models.nn.Fc;
import dev.hkd.training.models.nn.Functional;
import java.util.List;

/**
 * A small CNN for 28×28 grey images that TensorFlow can express layer for layer (no BatchNorm):
 * conv3×3 1→16 + ReLU, 2×2 average pool, conv3×3 16→32 + ReLU, global mean, linear 32→classes.
 * Features: [block1 (16@28²), block2 (32@14²), pooled 32]. {@code savedmodel.SavedModelExport} (hkd-savedmodel) writes it as a
 * SavedModel, so it doubles as the example of a TensorFlow teacher.
 */
public final class TinyCnn extends FeatureNetwork {

    private final Conv conv1;
    private final Conv conv2;
    private final Fc fc;

    public TinyCnn(int numClasses) {
        conv1 = child("conv1", Conv.same(1, 16, 3, 1, true, Conv.Init.PYTORCH_DEFAULT));
        conv2 = child("conv2", Conv.same(16, 32, 3, 1, true, Conv.Init.PYTORCH_DEFAULT));
        fc = child("fc", new Fc(32, numClasses, Fc.Init.PYTORCH_DEFAULT));
    }

    @Override
    public String modelName() {
        return "tiny_cnn";
    }

    @Override
    public NetworkOutput forward(ParameterStore ps, NDArray images, boolean training, boolean preActivation) {
        NDArray block1 = Functional.relu(run(conv1, ps, images, training));
        NDArray pooled2x2 = Pool.avgPool2d(block1, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false, true);
        NDArray block2 = Functional.relu(run(conv2, ps, pooled2x2, training));
        NDArray pooled = Functional.globalAveragePool(block2);
        List<NDArray> features = List.of(block1, block2, pooled);
        return new NetworkOutput(run(fc, ps, pooled, training), features, preActivation ? features : List.of());
    }
}
