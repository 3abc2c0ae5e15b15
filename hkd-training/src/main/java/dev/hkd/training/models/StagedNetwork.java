package dev.hkd.training.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import dev.hkd.api.NetworkOutput;
import java.util.ArrayList;
import java.util.List;

/**
 * Stem, then stages, then global average pooling and a linear classifier. The stem returns
 * {@code [out]}; each stage returns {@code [out, preActivation]}. Features are
 * {@code [stem, stage 1 … stage n, pooled]}.
 */
public class StagedNetwork extends FeatureNetwork {

    private final String name;
    private final Block stem;
    private final List<Block> stages = new ArrayList<>();
    private final Linear classifier;

    public StagedNetwork(String name, Block stem, List<Block> stages, long penultimateWidth, int numClasses) {
        this.name = name;
        this.stem = addChildBlock("stem", stem);
        for (int i = 0; i < stages.size(); i++) {
            this.stages.add(addChildBlock("stage" + (i + 1), stages.get(i)));
        }
        this.classifier = addChildBlock("fc", Layers.linear(penultimateWidth, numClasses));
    }

    @Override
    public String modelName() {
        return name;
    }

    @Override
    public NetworkOutput forward(ParameterStore parameters, NDArray images, boolean training, boolean preActivation) {
        List<NDArray> features = new ArrayList<>();
        List<NDArray> preActs = new ArrayList<>();
        NDArray x = stem.forward(parameters, new NDList(images), training).head();
        features.add(x);
        preActs.add(x);
        for (Block stage : stages) {
            NDList out = stage.forward(parameters, new NDList(x), training);
            x = out.get(0);
            features.add(x);
            preActs.add(out.get(1));
        }
        // Global average pooling; DJL's PyTorch mean takes one axis at a time.
        NDArray pooled = x.reshape(x.getShape().get(0), x.getShape().get(1), -1).mean(new int[] {2});
        features.add(pooled);
        preActs.add(pooled);
        NDArray logits =
                classifier.forward(parameters, new NDList(pooled), training).head();
        return new NetworkOutput(logits, features, preActivation ? preActs : List.of());
    }

    /**
     * A stage whose output is the ReLU of one BatchNorm's output (or of a sum it feeds): OFD takes
     * its margins from that BatchNorm.
     */
    public interface EndsInBatchNorm {
        BatchNorm outputBatchNorm();
    }

    /** Each stage's {@link EndsInBatchNorm#outputBatchNorm()}, or none when a stage does not say. */
    @Override
    public List<NormAffine> batchNormsBeforeActivation() {
        if (!stages.stream().allMatch(EndsInBatchNorm.class::isInstance)) {
            return List.of();
        }
        return stages.stream()
                .map(stage -> NormAffine.of(((EndsInBatchNorm) stage).outputBatchNorm()))
                .toList();
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape shape = Layers.initializeChain(manager, dataType, inputShapes[0], stem);
        for (Block stage : stages) {
            shape = Layers.initializeChain(manager, dataType, shape, stage);
        }
        classifier.initialize(manager, dataType, new Shape(shape.get(0), shape.get(1)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape shape = stem.getOutputShapes(inputShapes)[0];
        for (Block stage : stages) {
            shape = stage.getOutputShapes(new Shape[] {shape})[0];
        }
        return classifier.getOutputShapes(new Shape[] {new Shape(shape.get(0), shape.get(1))});
    }
}
