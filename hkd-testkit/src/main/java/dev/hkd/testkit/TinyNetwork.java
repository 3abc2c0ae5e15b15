package dev.hkd.testkit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.hkd.api.NetworkOutput;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A three-convolution network small enough to train in milliseconds, with the project's
 * feature-tap contract: features are the stem's output, two stages' outputs (the second at half
 * the resolution) and the pooled vector; pre-activation features hold the stages' maps before
 * their ReLU. Inputs are {@code [B, 3, 8, 8]}.
 */
public final class TinyNetwork {

    /** Input images: three channels, 8 × 8. */
    public static final Shape INPUT = new Shape(3, 8, 8);

    private final Block stem;
    private final Block stage1;
    private final Block stage2;
    private final Block classifier;
    private final int width;

    /**
     * @param width channels of the stem; the stages have {@code 2·width} and {@code 4·width}
     * @param classes logits width
     */
    public TinyNetwork(NDManager manager, int width, int classes) {
        this.width = width;
        stem = conv(width, 1);
        stage1 = conv(2 * width, 1);
        stage2 = conv(4 * width, 2);
        classifier = Linear.builder().setUnits(classes).build();
        stem.initialize(manager, DataType.FLOAT32, new Shape(1).addAll(INPUT));
        stage1.initialize(manager, DataType.FLOAT32, new Shape(1, width, 8, 8));
        stage2.initialize(manager, DataType.FLOAT32, new Shape(1, 2L * width, 8, 8));
        classifier.initialize(manager, DataType.FLOAT32, new Shape(1, 4L * width));
    }

    private static Block conv(int filters, int stride) {
        return Conv2d.builder()
                .setKernelShape(new Shape(3, 3))
                .optPadding(new Shape(1, 1))
                .optStride(new Shape(stride, stride))
                .setFilters(filters)
                .build();
    }

    /** The forward pass; {@code training} is passed to every block. */
    public NetworkOutput forward(ParameterStore ps, NDArray images, boolean training, boolean preActivation) {
        NDArray s = Activation.relu(apply(stem, ps, images, training));
        NDArray pre1 = apply(stage1, ps, s, training);
        NDArray f1 = Activation.relu(pre1);
        NDArray pre2 = apply(stage2, ps, f1, training);
        NDArray f2 = Activation.relu(pre2);
        NDArray pooled = f2.mean(new int[] {3}).mean(new int[] {2});
        NDArray logits = apply(classifier, ps, pooled, training);
        List<NDArray> pre = preActivation ? List.of(s, pre1, pre2, pooled) : List.of();
        return new NetworkOutput(logits, List.of(s, f1, f2, pooled), pre);
    }

    private static NDArray apply(Block block, ParameterStore ps, NDArray x, boolean training) {
        return block.forward(ps, new NDList(x), training).singletonOrThrow();
    }

    /** Per-sample feature shapes, shallow to deep, as {@code DistillerSetup} wants them. */
    public List<Shape> featureShapes() {
        return List.of(
                new Shape(width, 8, 8),
                new Shape(2L * width, 8, 8),
                new Shape(4L * width, 4, 4),
                new Shape(4L * width));
    }

    /** Every parameter, by a stable name ({@code stage1.weight}, ...). */
    public Map<String, Parameter> parameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        String[] names = {"stem", "stage1", "stage2", "classifier"};
        Block[] blocks = {stem, stage1, stage2, classifier};
        for (int i = 0; i < blocks.length; i++) {
            for (Pair<String, Parameter> p : blocks[i].getParameters()) {
                out.put(names[i] + "." + p.getKey(), p.getValue());
            }
        }
        return out;
    }
}
