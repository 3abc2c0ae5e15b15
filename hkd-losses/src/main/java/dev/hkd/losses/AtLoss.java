package dev.hkd.losses;

import ai.djl.ndarray.NDArray;
import dev.hkd.api.Scalars;
import java.util.ArrayList;
import java.util.List;

/**
 * Attention transfer as RepDistiller's {@code Attention} (p = 2): per stage pair, the larger map
 * pooled to the smaller, attention maps {@code l2n(mean_c(f^p))}, and the mean squared difference.
 */
public final class AtLoss {

    private AtLoss() {}

    /** The loss of each pair, in order; the method's loss is their sum. */
    public static List<NDArray> perStage(List<NDArray> student, List<NDArray> teacher, int p) {
        List<NDArray> out = new ArrayList<>();
        for (int i = 0; i < Math.min(student.size(), teacher.size()); i++) {
            NDArray[] pair = AdaptiveAveragePool.matchSizes(
                    student.get(i), teacher.get(i).stopGradient());
            out.add(attention(pair[0], p).sub(attention(pair[1], p)).square().mean());
        }
        return out;
    }

    /** {@code F.normalize(f.pow(p).mean(1).view(B, -1))}: L2 with {@code max(‖x‖, 1e-12)}. */
    static NDArray attention(NDArray f, int p) {
        NDArray a = Scalars.pow(f, p).mean(new int[] {1}).reshape(f.getShape().get(0), -1);
        return a.div(Norms.clamped(a, 1, 1e-24f));
    }
}
