package dev.hkd.training.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * How a batch of images {@code [B, C, H, W]} sits in memory when it enters a network. The shape
 * and every value are the same in both layouts; libtorch's oneDNN convolutions follow the input's
 * layout through the whole network.
 *
 * <p>The frozen teacher runs {@link #CHANNELS_LAST}: oneDNN then skips the reorders to and from
 * its blocked format around every convolution, and a resnet32x4 teacher's pass takes about 0.9 ×
 * its contiguous time on the 2-core CPU machine kind (reproducibility/benchmarks.md). Its outputs
 * move in the last bits only; the model parity check holds eval mode in both layouts to the
 * reference. The student and any BatchNorm on batch statistics keep the reference's
 * {@link #CONTIGUOUS} layout: libtorch's channels-last batch statistics on CPU are 20 to 35 times
 * less precise (a feature of MobileNetV2 then misses the model parity tolerance, 3.7e-4 against
 * 3e-4).
 */
public enum ImageLayout {

    /** {@code NCHW} memory, PyTorch's default and the reference code's. */
    CONTIGUOUS,
    /** {@code NHWC} memory behind the {@code NCHW} shape: PyTorch's {@code channels_last}. */
    CHANNELS_LAST;

    /** {@code images} in this layout (4-D arrays only; anything else is returned as it is). */
    public NDArray apply(NDArray images) {
        Shape s = images.getShape();
        if (this == CONTIGUOUS || s.dimension() != 4) {
            return images;
        }
        // Flattening the NHWC view copies the values into NHWC order; the last transpose is a view
        // that gives the NCHW shape back over that memory.
        return images.transpose(0, 2, 3, 1)
                .flatten()
                .reshape(s.get(0), s.get(2), s.get(3), s.get(1))
                .transpose(0, 3, 1, 2);
    }
}
