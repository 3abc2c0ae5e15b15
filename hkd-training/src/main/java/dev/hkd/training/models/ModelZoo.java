package dev.hkd.training.models;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.hkd.training.models.cifar.MobileNetV2Half;
import dev.hkd.training.models.cifar.ResNet50;
import dev.hkd.training.models.cifar.ResNetCifar;
import dev.hkd.training.models.cifar.ShuffleNetV1;
import dev.hkd.training.models.cifar.ShuffleNetV2;
import dev.hkd.training.models.cifar.Vgg;
import dev.hkd.training.models.cifar.WideResNet;
import dev.hkd.training.models.imagenet.MobileNetV1;
import dev.hkd.training.models.imagenet.TorchvisionResNet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.IntFunction;

/**
 * Every model the framework can build, by name: the reference CIFAR zoo (3×32×32 inputs, the
 * names of RepDistiller), torchvision's ImageNet ResNets and mdistiller's ImageNet MobileNetV1
 * (3×224×224), and small networks for 28×28 grey Fashion-MNIST. Ids are case-sensitive:
 * {@code resnet50} is torchvision's, {@code ResNet50} RepDistiller's CIFAR variant.
 */
public final class ModelZoo {

    /** Where a model's architecture comes from, and the dataset it is built for. */
    public enum Origin {
        CIFAR("CIFAR, RepDistiller", 100),
        IMAGENET_TORCHVISION("ImageNet, torchvision", 1000),
        IMAGENET_MDISTILLER("ImageNet, mdistiller", 1000),
        FASHION_MNIST("Fashion-MNIST, this project", 10);

        private final String description;
        private final int classes;

        Origin(String description, int classes) {
            this.description = description;
            this.classes = classes;
        }

        /** E.g. "ImageNet, torchvision". */
        public String description() {
            return description;
        }

        /** The class count of the dataset the model is built for (CIFAR-100, ImageNet, Fashion-MNIST). */
        public int classes() {
            return classes;
        }
    }

    private record Entry(IntFunction<FeatureNetwork> factory, Shape input, Origin origin) {}

    private static final Shape CIFAR = new Shape(1, 3, 32, 32);
    private static final Shape FASHION = new Shape(1, 1, 28, 28);
    private static final Shape IMAGENET = new Shape(1, 3, 224, 224);
    /** Edits (case ignored) within which an unknown id is a near miss of a known one. */
    private static final int NEAR_MISS = 2;

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
        vgg("vgg19", new int[][] {{64, 64}, {128, 128}, {256, 256, 256, 256}, {512, 512, 512, 512}, {512, 512, 512, 512}
        });
        cifar("MobileNetV2", MobileNetV2Half::new);
        cifar("ShuffleV1", ShuffleNetV1::new);
        cifar("ShuffleV2", ShuffleNetV2::new);
        for (TorchvisionResNet.Depth depth : TorchvisionResNet.Depth.values()) {
            MODELS.put(
                    depth.modelName(),
                    new Entry(c -> new TorchvisionResNet(depth, c), IMAGENET, Origin.IMAGENET_TORCHVISION));
        }
        MODELS.put("MobileNetV1", new Entry(MobileNetV1::new, IMAGENET, Origin.IMAGENET_MDISTILLER));
        fashion("fmnist_resnet", ModelZoo::fashionResNet);
        fashion("fmnist_cnn", ModelZoo::fashionCnn);
        fashion("fmnist_vgg", ModelZoo::fashionVgg);
        fashion("fmnist_resnet_small", ModelZoo::fashionResNetSmall);
        fashion("tiny_cnn", TinyCnn::new);
    }

    private static void cifar(String name, IntFunction<FeatureNetwork> factory) {
        MODELS.put(name, new Entry(factory, CIFAR, Origin.CIFAR));
    }

    private static void fashion(String name, IntFunction<FeatureNetwork> factory) {
        MODELS.put(name, new Entry(factory, FASHION, Origin.FASHION_MNIST));
    }

    private static void vgg(String name, int[][] config) {
        cifar(name, c -> new Vgg(name, config, c));
    }

    private ModelZoo() {}

    /**
     * The input shape of the dataset a model is built for, with a batch of one. Every model but
     * MobileNetV1 also runs on other sizes (global pooling is adaptive), e.g. Tiny-ImageNet's 64×64.
     */
    public static Shape inputShape(String name) {
        return entry(name).input();
    }

    /** Where the model comes from and which dataset it is built for. */
    public static Origin origin(String name) {
        return entry(name).origin();
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
            throw new IllegalArgumentException(unknownModelMessage(name));
        }
        return e;
    }

    /**
     * The one-line error for an id the zoo does not hold: {@code unknown model 'Resnet18'; did you
     * mean 'resnet18'?} when it is a near miss (case ignored, at most two edits from a known id),
     * each suggestion with its origin when there are several ({@code 'resnet50' (ImageNet,
     * torchvision) or 'ResNet50' (CIFAR, RepDistiller)}), else the list of known ids.
     */
    public static String unknownModelMessage(String name) {
        List<String> near = nearMisses(name);
        String prefix = "unknown model '" + name + "'; ";
        if (near.isEmpty()) {
            return prefix + "known: " + String.join(", ", names());
        }
        if (near.size() == 1) {
            return prefix + "did you mean '" + near.get(0) + "'?";
        }
        List<String> described = near.stream()
                .map(n -> "'" + n + "' (" + origin(n).description() + ")")
                .toList();
        return prefix + "did you mean " + String.join(", ", described.subList(0, described.size() - 1)) + " or "
                + described.get(described.size() - 1) + "?";
    }

    /** The known ids closest to {@code name} (case ignored) within {@link #NEAR_MISS} edits, at most three, in zoo order. */
    static List<String> nearMisses(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        int best = NEAR_MISS + 1;
        List<String> closest = new ArrayList<>();
        for (String known : MODELS.keySet()) {
            int d = editDistance(lower, known.toLowerCase(Locale.ROOT));
            if (d > NEAR_MISS) {
                continue;
            }
            if (d < best) {
                best = d;
                closest.clear();
            }
            if (d == best) {
                closest.add(known);
            }
        }
        return closest.size() > 3 ? closest.subList(0, 3) : closest;
    }

    /** Levenshtein distance (insertions, deletions, substitutions), two rows. */
    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }

    /**
     * Teacher for 28×28 grey images, about 1.2 M parameters: a resnet8x4-like network — 3×3 stem to
     * 32 channels, then one residual block per stage at 64@14², 128@7², 256@4².
     */
    static FeatureNetwork fashionResNet(int numClasses) {
        return fashionStaged("fmnist_resnet", numClasses, (in, out) -> new ResidualBlock(in, out, 2), 32, 64, 128, 256);
    }

    /** Student for 28×28 grey images, about 60 k parameters: plain conv-BN-ReLU at 16@28², 32@14², 64@7², 64@4². */
    static FeatureNetwork fashionCnn(int numClasses) {
        return fashionStaged("fmnist_cnn", numClasses, (in, out) -> new ConvBnRelu(out, 3, 2), 16, 32, 64, 64);
    }

    /**
     * Plain (VGG-like) teacher for 28×28 grey images, about 1.55 M parameters: conv-BN-ReLU at
     * 64@28², 128@14², 256@7², 512@4² — the teacher of a plain → residual pair.
     */
    static FeatureNetwork fashionVgg(int numClasses) {
        return fashionStaged("fmnist_vgg", numClasses, (in, out) -> new ConvBnRelu(out, 3, 2), 64, 128, 256, 512);
    }

    /** Residual student for 28×28 grey images: 3×3 stem to 16 channels, one residual block per stage at 32@14², 64@7², 64@4². */
    static FeatureNetwork fashionResNetSmall(int numClasses) {
        return fashionStaged(
                "fmnist_resnet_small", numClasses, (in, out) -> new ResidualBlock(in, out, 2), 16, 32, 64, 64);
    }

    /**
     * The Fashion-MNIST nets' layout: a 3×3 conv-BN-ReLU stem to {@code widths[0]} channels, then a
     * stride-2 stage {@code stage(in, out)} to each further width; the last width is the pooled vector's.
     */
    private static FeatureNetwork fashionStaged(
            String name, int numClasses, BiFunction<Long, Long, Block> stage, long... widths) {
        Block stem = new ConvBnRelu(widths[0], 3, 1);
        List<Block> stages = new ArrayList<>();
        for (int i = 1; i < widths.length; i++) {
            stages.add(stage.apply(widths[i - 1], widths[i]));
        }
        return new StagedNetwork(name, stem, stages, widths[widths.length - 1], numClasses);
    }
}
