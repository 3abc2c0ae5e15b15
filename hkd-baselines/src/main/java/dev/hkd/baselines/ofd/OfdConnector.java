package dev.hkd.baselines.ofd;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.initializer.NormalInitializer;
import dev.hkd.baselines.ReferenceStack;

/**
 * mdistiller's OFD connector: a conv of kernel k, stride 1, padding (k−1)/2, no bias, from the
 * student's channels to the teacher's, weight {@code N(0, 2/(k²·C_t))}; then BatchNorm (γ = 1,
 * β = 0). Reference names {@code 0.weight}, {@code 1.*}.
 */
final class OfdConnector {

    private OfdConnector() {}

    static ReferenceStack of(long teacherChannels, int kernel) {
        int pad = (kernel - 1) / 2;
        Conv2d conv = Conv2d.builder()
                .setFilters((int) teacherChannels)
                .setKernelShape(new Shape(kernel, kernel))
                .optPadding(new Shape(pad, pad))
                .optBias(false)
                .build();
        conv.setInitializer(
                new NormalInitializer((float) Math.sqrt(2.0 / (kernel * kernel * teacherChannels))),
                ai.djl.nn.Parameter.Type.WEIGHT);
        return new ReferenceStack()
                .layer(0, conv)
                .layer(
                        1,
                        BatchNorm.builder().optEpsilon(1e-5f).optMomentum(0.9f).build());
    }
}
