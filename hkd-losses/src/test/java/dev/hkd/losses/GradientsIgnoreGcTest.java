package dev.hkd.losses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.hkd.api.Scalars;
import dev.hkd.losses.contrast.ContrastiveCrossEntropy;
import dev.hkd.losses.contrast.NceLoss;
import dev.hkd.testkit.FreedMemory;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * A run's numbers must not depend on when the JVM collects garbage. Each loss is differentiated
 * twice from the same inputs: once undisturbed, once with a full GC between the forward and the
 * backward pass and the freed native memory then overwritten. DJL's {@code x.mul(0.5f)}-style
 * constants failed exactly this (their buffers were freed under autograd); {@link Scalars} passes.
 */
class GradientsIgnoreGcTest {

    private static final long SEED = 11;

    @Test
    void everyLossGivesTheSameGradientWhateverTheGcDoes() {
        check("kd", (s, t) -> KdLoss.compute(s, t, 4.0));
        check("rkd", (s, t) -> RkdLoss.compute(s, t).weighted(25, 50));
        check("pkt", (s, t) -> PktLoss.compute(s, t, 1e-7));
        check("sp", (s, t) -> SpLoss.compute(s.reshape(8, 2, 2, 4), t.reshape(8, 2, 2, 4)));
        check(
                "at",
                (s, t) -> AtLoss.perStage(List.of(s.reshape(8, 2, 2, 4)), List.of(t.reshape(8, 2, 2, 4)), 2)
                        .get(0));
        check("contrast", (s, t) -> ContrastiveCrossEntropy.of(s.get(":, 0"), s.get(":, 1:"), 0.07f));
        check("nce", (s, t) -> NceLoss.of(s.abs().add(0.1f), 1000));
        check("kd-ls", (s, t) -> KdLoss.compute(LogitStandardization.apply(s), LogitStandardization.apply(t), 2.0));
        check("dkd", (s, t) -> {
            DkdLoss.Terms d = DkdLoss.compute(s, t, s.getManager().create(new long[] {0, 3, 5, 1, 15, 2, 2, 9}), 4.0);
            return Scalars.mul(d.tckd(), 1.0).add(Scalars.mul(d.nckd(), 8.0));
        });
        check("dist", (s, t) -> {
            DistLoss.Terms d = DistLoss.compute(s, t, 4.0);
            return Scalars.mul(d.inter(), 2.0).add(Scalars.mul(d.intra(), 2.0));
        });
        NDArrayLabels labels = m -> m.create(new long[] {0, 3, 5, 1, 15, 2, 2, 9});
        check("wsld", (s, t) -> WsldLoss.compute(s, t, labels.of(s.getManager()), 2.0));
        check("nkd", (s, t) -> {
            NkdLoss.Terms n = NkdLoss.compute(s, t, labels.of(s.getManager()), 3.0);
            return n.target().add(Scalars.mul(n.nonTarget(), 3.5));
        });
        check(
                "tfkd-reg",
                (s, t) -> Scalars.mul(VirtualTeacherLoss.compute(s, labels.of(s.getManager()), 20.0, 0.99), 100.0));
        check("kd-learnt-temperature", (s, t) -> {
            NDArray tau = Scalars.mul(ai.djl.nn.Activation.sigmoid(GradientReversal.apply(s.get("0, 0"), -0.5)), 20.0)
                    .add(1);
            return KdLoss.compute(s, t, tau);
        });
        check(
                "scalars",
                (s, t) -> Scalars.pow(Scalars.maximum(s, 0.1), 2)
                        .add(Scalars.minimum(s, -0.1))
                        .sum());
    }

    /** Labels made in the manager of the step's arrays. */
    private interface NDArrayLabels {
        NDArray of(NDManager manager);
    }

    private static void check(String name, BiFunction<NDArray, NDArray, NDArray> loss) {
        float[] undisturbed = gradient(loss, false);
        float[] collected = gradient(loss, true);
        assertArrayEquals(undisturbed, collected, 0f, name + ": the gradient changed when the GC ran before backward");
    }

    private static float[] gradient(BiFunction<NDArray, NDArray, NDArray> loss, boolean collectGarbage) {
        Engine engine = Engine.getEngine("PyTorch");
        try (NDManager m = engine.newBaseManager()) {
            engine.setRandomSeed((int) SEED);
            NDArray student = m.randomNormal(new Shape(8, 16));
            NDArray teacher = m.randomNormal(new Shape(8, 16));
            student.setRequiresGradient(true);
            try (GradientCollector collector = engine.newGradientCollector()) {
                NDArray value = loss.apply(student, teacher);
                if (collectGarbage) {
                    FreedMemory.collectAndOverwrite();
                }
                collector.backward(value);
            }
            return student.getGradient().toFloatArray();
        }
    }
}
