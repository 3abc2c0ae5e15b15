package dev.hkd.experiments.models;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/** Every model the framework can build, by name. */
public final class ModelZoo {

    private static final Map<String, IntFunction<FeatureNetwork>> MODELS = new LinkedHashMap<>();

    static {
        MODELS.put("fmnist_resnet", ModelZoo::fashionResNet);
        MODELS.put("fmnist_cnn", ModelZoo::fashionCnn);
    }

    private ModelZoo() {
    }

    /** The input shape a model expects, with a batch of one. */
    public static ai.djl.ndarray.types.Shape inputShape(String name) {
        return new ai.djl.ndarray.types.Shape(1, 1, 28, 28);
    }

    public static List<String> names() {
        return List.copyOf(MODELS.keySet());
    }

    public static boolean contains(String name) {
        return MODELS.containsKey(name);
    }

    /** A fresh, uninitialised model for {@code numClasses} classes. */
    public static FeatureNetwork create(String name, int numClasses) {
        IntFunction<FeatureNetwork> factory = MODELS.get(name);
        if (factory == null) {
            throw new IllegalArgumentException("unknown model '" + name + "'; known: " + String.join(", ", names()));
        }
        return factory.apply(numClasses);
    }

    /**
     * Teacher for 28×28 grey images, about 1.2 M parameters: a resnet8x4-like network — 3×3 stem to
     * 32 channels, then one residual block per stage at 64@14², 128@7², 256@4².
     */
    static FeatureNetwork fashionResNet(int numClasses) {
        return new StagedNetwork("fmnist_resnet", new ConvBnRelu(32, 3, 1),
                List.of(new ResidualBlock(32, 64, 2), new ResidualBlock(64, 128, 2), new ResidualBlock(128, 256, 2)),
                256, numClasses);
    }

    /** Student for 28×28 grey images, about 60 k parameters: plain conv-BN-ReLU at 16@28², 32@14², 64@7², 64@4². */
    static FeatureNetwork fashionCnn(int numClasses) {
        return new StagedNetwork("fmnist_cnn", new ConvBnRelu(16, 3, 1),
                List.of(new ConvBnRelu(32, 3, 2), new ConvBnRelu(64, 3, 2), new ConvBnRelu(64, 3, 2)),
                64, numClasses);
    }
}
