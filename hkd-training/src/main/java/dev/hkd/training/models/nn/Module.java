package dev.hkd.training.models.nn;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A composite block whose children carry the names PyTorch gives them in the reference code
 * ({@code layer1}, {@code 0}, {@code downsample}, …), so the state dict of a model is a walk of
 * the tree. Leaves ({@link Conv}, {@link Bn}, {@link Fc}) know their own shapes, so no shape
 * inference is needed to initialise. Named for PyTorch's {@code nn.Module}, whose state-dict
 * names it reproduces; not {@code java.lang.Module} (never import that one here).
 */
public abstract class Module extends AbstractBlock {

    private final Map<String, Block> named = new LinkedHashMap<>();

    protected Module() {
        super((byte) 1);
    }

    /** Registers a child under its reference name. */
    protected final <B extends Block> B child(String referenceName, B block) {
        addChildBlock(referenceName, block);
        named.put(referenceName, block);
        return block;
    }

    /**
     * Registers {@code conv} as {@code conv<index>} and a BatchNorm of its output as
     * {@code bn<index>}, the reference's names for the pair.
     */
    protected final ConvBn convBn(int index, Conv conv) {
        return new ConvBn(child("conv" + index, conv), child("bn" + index, new Bn(conv.outChannels())));
    }

    /** Runs a single-input block and returns its first output. */
    protected static ai.djl.ndarray.NDArray run(
            Block block, ai.djl.training.ParameterStore ps, ai.djl.ndarray.NDArray x, boolean training) {
        return block.forward(ps, new ai.djl.ndarray.NDList(x), training).head();
    }

    /** Children by reference name, in registration order. */
    public final Map<String, Block> namedChildren() {
        return Collections.unmodifiableMap(named);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (Block b : named.values()) {
            b.initialize(manager, dataType, inputShapes);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        throw new UnsupportedOperationException(
                "shapes of " + getClass().getSimpleName() + " are fixed at construction");
    }
}
