package dev.hkd.baselines;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.UniformInitializer;

/** PyTorch's default initialisation of conv and linear layers: weight and bias {@code U(±1/√fan_in)}. */
public final class PyTorchInit {

    private PyTorchInit() {}

    public static <B extends Block> B defaults(B block, long fanIn) {
        UniformInitializer init = new UniformInitializer((float) (1.0 / Math.sqrt(fanIn)));
        block.setInitializer(init, Parameter.Type.WEIGHT);
        block.setInitializer(init, Parameter.Type.BIAS);
        return block;
    }
}
