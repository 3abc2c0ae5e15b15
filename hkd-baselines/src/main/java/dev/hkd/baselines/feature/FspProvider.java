package dev.hkd.baselines.feature;

import ai.djl.ndarray.types.Shape;
import dev.hkd.api.AbstractDistillerProvider;
import dev.hkd.api.DistillationStep;
import dev.hkd.api.Distiller;
import dev.hkd.api.DistillerSetup;
import dev.hkd.api.InitStage;
import dev.hkd.api.LossTerms;
import dev.hkd.api.NonNegative;
import dev.hkd.api.Positive;
import dev.hkd.api.Scalars;
import dev.hkd.baselines.RepDistillerInit;
import dev.hkd.baselines.StageFeatures;
import dev.hkd.losses.FspLoss;
import java.util.List;
import java.util.Map;

/**
 * {@code fsp}: flow-of-solution-procedure matrices between consecutive maps, as RepDistiller uses
 * them — only in its init stage, where the student's feature layers train on the summed FSP loss
 * (unweighted) for {@code init_epochs}; distillation then adds nothing (the script's β = 50 weighs
 * a zero term). Student and teacher need equal channel counts map by map.
 */
public final class FspProvider extends AbstractDistillerProvider<FspProvider.Config> {

    /**
     * @param initEpochs epochs of the init stage (RepDistiller's {@code --init_epochs}, 30)
     * @param initLr its constant learning rate (RepDistiller's {@code --learning_rate}, 0.05; 0.01 for
     *     MobileNetV2 and ShuffleNet students)
     */
    public record Config(
            @NonNegative int initEpochs, @Positive double initLr) {}

    public FspProvider() {
        super(
                "fsp",
                "FSP: flow-of-solution-procedure matrices, trained in an init stage (CVPR 2017)",
                new Config(30, 0.05),
                50);
    }

    @Override
    public Distiller create(Config c) {
        return new Distiller() {
            @Override
            public void prepare(DistillerSetup setup) {
                List<Shape> s = StageFeatures.maps(setup.studentFeatures());
                List<Shape> t = StageFeatures.maps(setup.teacherFeatures());
                boolean equal = s.size() == t.size();
                for (int i = 0; equal && i < s.size(); i++) {
                    equal = s.get(i).get(0) == t.get(i).get(0);
                }
                if (!equal) {
                    throw new IllegalArgumentException(
                            "method 'fsp' needs the same channel counts map by map, but the student's maps have "
                                    + channels(s) + " and the teacher's " + channels(t)
                                    + " channels; use a pair of the same widths (e.g. resnet32x4 -> resnet8x4, resnet56 -> resnet20)");
                }
            }

            @Override
            public InitStage initStage() {
                return new RepDistillerInit(
                        c.initEpochs(),
                        c.initLr(),
                        Map.of(),
                        true,
                        (student, teacher, ps) -> StageSums.sum(FspLoss.perPair(
                                StageFeatures.maps(student.features()), StageFeatures.maps(teacher.features()))));
            }

            @Override
            public LossTerms loss(DistillationStep step) {
                // Nothing to distil after the init stage; a zero (+0, not -0) on the student's graph, so that the term
                // alone differentiates.
                return LossTerms.of(
                        "fsp", Scalars.mul(step.student().logits().sum(), 0).abs());
            }
        };
    }

    static String channels(List<Shape> shapes) {
        return shapes.stream().map(x -> Long.toString(x.get(0))).toList().toString();
    }
}
