package dev.hkd.training.models;

import ai.djl.ndarray.types.Shape;
import dev.hkd.training.models.cifar.MobileNetV2Half;
import dev.hkd.training.models.cifar.ResNet50;
import dev.hkd.training.models.cifar.ResNetCifar;
import dev.hkd.training.models.cifar.ShuffleNetV1;
import dev.hkd.training.models.cifar.ShuffleNetV2;
import dev.hkd.training.models.cifar.Vgg;
import dev.hkd.training.models.cifar.WideResNet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Every model the framework can build, by name: the reference CIFAR zoo (3×32×32 inputs, the
 * names of RepDistiller) and two small networks for 28×28 grey Fashion-MNIST.
 */
public final class ModelZoo {

    private record Entry(IntFunction<FeatureNetwork> factory, Shape input) {
    }

    private static final Shape CIFAR = new Shape(1, 3, 32, 32);
    private static final Shape FASHION = new Shape(1, 1, 28, 28);
    private static final int[] SMALL = {16, 16, 32, 64};
    private static final int[] X4 = {32, 64, 128, 256};
    private static final Map<String, Entry> MODELS = new LinkedHashMap<>();

    static {
        for (int depth : new int[] {8, 14, 20, 32, 44, 56, 110}) {
            cifar("resnet" + depth, c -> new ResNetCifar("resnet" + depth, depth, SMALL, c));
        }
        cifar("resnet8x4", c -> new ResNetCifar("resnet8x4", 8, X4, c));
        cifar("resnet32x4", c -> new ResNetCifar("resnet32x4", 32, X4, c));
        cifar("ResNet50", ResNet50::new);
        for (int[] dk : new int[][] {{16, 1}, {16, 2}, {40, 1}, {40, 2}}) {
            String name = "wrn_" + dk[0] + "_" + dk[1];
            cifar(name, c -> new WideResNet(name, dk[0], dk[1], c));
        }
        vgg("vgg8", new int[][] {{64}, {128}, {256}, {512}, {512}});
        vgg("vgg11", new int[][] {{64}, {128}, {256, 256}, {512, 512}, {512, 512}});
        vgg("vgg13", new int[][] {{64, 64}, {128, 128}, {256, 256}, {512, 512}, {512, 512}});
        vgg("vgg16", new int[][] {{64, 64}, {128, 128}, {256, 256, 256}, {512, 512, 512}, {512, 512, 512}});
        vgg("vgg19", new int[][] {{64, 64}, {128, 128}, {256, 256, 256, 256}, {512, 512, 512, 512}, {512, 512, 512, 512}});
        cifar("MobileNetV2", MobileNetV2Half::new);
        cifar("ShuffleV1", ShuffleNetV1::new);
        cifar("ShuffleV2", ShuffleNetV2::new);
        MODELS.put("fmnist_resnet", new Entry(ModelZoo::fashionResNet, FASHION));
        MODELS.put("fmnist_cnn", new Entry(ModelZoo::fashionCnn, FASHION));
        MODELS.put("fmnist_vgg", new Entry(ModelZoo::fashionVgg, FASHION));
        MODELS.put("fmnist_resnet_small", new Entry(ModelZoo::fashionResNetSmall, FASHION));
        MODELS.put("tiny_cnn", new Entry(TinyCnn::new, FASHION));
    }

    private static void cifar(String name, IntFunction<FeatureNetwork> factory) {
        MODELS.put(name, new Entry(factory, CIFAR));
    }

    private static void vgg(String name, int[][] config) {
        cifar(name, c -> new Vgg(name, config, c));
    }

    private ModelZoo() {
    }

    /** The input shape a model expects, with a batch of one. */
    public static Shape inputShape(String name) {
        return entry(name).input();
    }

    public static List<String> names() {
        return List.copyOf(MODELS.keySet());
    }

    public static boolean contains(String name) {
        return MODELS.containsKey(name);
    }

    /** A fresh, uninitialised model for {@code numClasses} classes. */
    public static FeatureNetwork create(String name, int numClasses) {
        return entry(name).factory().apply(numClasses);
    }

    private static Entry entry(String name) {
        Entry e = MODELS.get(name);
        if (e == null) {
            throw new IllegalArgumentException("unknown model '" + name + "'; known: " + String.join(", ", names()));
        }
        return e;
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

    /**
     * Plain (VGG-like) teacher for 28×28 grey images, about 1.55 M parameters: conv-BN-ReLU at
     * 64@28², 128@14², 256@7², 512@4² — the teacher of a plain → residual pair.
     */
    static FeatureNetwork fashionVgg(int numClasses) {
        return new StagedNetwork("fmnist_vgg", new ConvBnRelu(64, 3, 1),
                List.of(new ConvBnRelu(128, 3, 2), new ConvBnRelu(256, 3, 2), new ConvBnRelu(512, 3, 2)),
                512, numClasses);
    }

    /** Residual student for 28×28 grey images: 3×3 stem to 16 channels, one residual block per stage at 32@14², 64@7², 64@4². */
    static FeatureNetwork fashionResNetSmall(int numClasses) {
        return new StagedNetwork("fmnist_resnet_small", new ConvBnRelu(16, 3, 1),
                List.of(new ResidualBlock(16, 32, 2), new ResidualBlock(32, 64, 2), new ResidualBlock(64, 64, 2)),
                64, numClasses);
    }
}
