package dev.hkd.training.models.nn;

import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A naming level of the reference's module tree ({@code layer1}, {@code blocks.3},
 * {@code classifier}) whose parent runs the children itself.
 */
public final class Container extends Module {

    public <B extends Block> B add(String referenceName, B block) {
        return child(referenceName, block);
    }

    /** Adds {@code conv} under {@code convName} and a BatchNorm of its output under {@code bnName}. */
    public ConvBn addConvBn(String convName, Conv conv, String bnName) {
        return new ConvBn(add(convName, conv), add(bnName, new Bn(conv.outChannels())));
    }

    public Block get(String referenceName) {
        return namedChildren().get(referenceName);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        throw new UnsupportedOperationException("a naming container is not run as a whole");
    }
}
