package dev.hkd.losses;

import ai.djl.ndarray.NDArray;
import dev.hkd.api.Scalars;
import java.util.ArrayList;
import java.util.List;

/**
 * Neuron selectivity transfer as RepDistiller's {@code NSTLoss} (polynomial kernel {@code (a·b)²},
 * full loss): per stage pair, the larger map pooled to the smaller's height, each channel's spatial
 * vector L2-normalised per sample, and {@code K(t,t) + K(s,s) − 2·K(s,t)} with {@code K(a,b)} the
 * mean over samples and channel pairs of {@code (aᵢ·bⱼ)²}. {@code K(t,t)} is a constant. Student and
 * teacher channel counts may differ.
 */
public final class NstLoss {

    private NstLoss() {}

    /** The loss of each stage pair, in order; the method's loss is their sum. */
    public static List<NDArray> perStage(List<NDArray> student, List<NDArray> teacher) {
        List<NDArray> out = new ArrayList<>();
        for (int i = 0; i < Math.min(student.size(), teacher.size()); i++) {
            NDArray[] pair = AdaptiveAveragePool.matchSizes(
                    student.get(i), teacher.get(i).stopGradient());
            NDArray s = channelVectors(pair[0]);
            NDArray t = channelVectors(pair[1]);
            NDArray tt = kernel(t, t).stopGradient();
            out.add(tt.add(kernel(s, s)).sub(Scalars.mul(kernel(s, t), 2)));
        }
        return out;
    }

    /** {@code [B, C, H, W] → [B, C, H·W]}, each row divided by {@code max(‖row‖, 1e-12)}. */
    private static NDArray channelVectors(NDArray f) {
        NDArray v = f.reshape(f.getShape().get(0), f.getShape().get(1), -1);
        return v.div(Norms.clamped(v, 2, 1e-24f));
    }

    /** Mean over samples and channel pairs of the squared dot products. */
    private static NDArray kernel(NDArray a, NDArray b) {
        return a.matMul(b.transpose(0, 2, 1)).square().mean();
    }
}
