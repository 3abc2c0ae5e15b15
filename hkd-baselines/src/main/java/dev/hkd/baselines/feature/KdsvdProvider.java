package dev.hkd.baselines.feature;

import ai.djl.ndarray.types.Shape;
import dev.hkd.api.AbstractDistillerProvider;
import dev.hkd.api.DistillationStep;
import dev.hkd.api.Distiller;
import dev.hkd.api.DistillerSetup;
import dev.hkd.api.LossTerms;
import dev.hkd.baselines.StageFeatures;
import dev.hkd.losses.KdsvdLoss;
import java.util.List;

/**
 * {@code kdsvd}: self-supervised knowledge distillation with SVD (k = 1) on the intermediate stage
 * maps, β = 1 (mdistiller's {@code KDSVD.LOSS.FEAT_WEIGHT}; RepDistiller's script gives none).
 * Student and teacher need equal channel counts at every stage.
 */
public final class KdsvdProvider extends AbstractDistillerProvider<KdsvdProvider.Config> {

    /** @param k singular vectors of the teacher (the reference's default and only tested value, 1) */
    public record Config(int k) {}

    public KdsvdProvider() {
        super("kdsvd", "KDSVD: RBF relations of leading singular vectors across stages (ECCV 2018)", new Config(1), 1);
    }

    @Override
    public void validate(Config c) {
        require(
                c.k() == 1,
                "k",
                "must be 1 (the reference's value; the RBF comparison is defined for one vector), got " + c.k());
    }

    @Override
    public Distiller create(Config c) {
        return new Distiller() {
            @Override
            public void prepare(DistillerSetup setup) {
                List<Shape> s = StageFeatures.intermediate(setup.studentFeatures());
                List<Shape> t = StageFeatures.intermediate(setup.teacherFeatures());
                for (int i = 0; i < Math.min(s.size(), t.size()); i++) {
                    if (s.get(i).get(0) != t.get(i).get(0)) {
                        throw new IllegalArgumentException(
                                "method 'kdsvd' needs equal channel counts at every stage, but stage "
                                        + (i + 1) + " has " + s.get(i).get(0) + " student and "
                                        + t.get(i).get(0)
                                        + " teacher channels; use a pair of the same widths (e.g. resnet32x4 -> resnet8x4, resnet56 -> resnet20)");
                    }
                }
            }

            @Override
            public LossTerms loss(DistillationStep step) {
                return LossTerms.of(
                        "kdsvd",
                        StageSums.sum(KdsvdLoss.perStage(
                                StageFeatures.intermediate(step.student().features()),
                                StageFeatures.intermediate(step.teacher().features()))));
            }
        };
    }
}
