package dev.hkd.baselines.ab;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.hkd.api.AbstractDistillerProvider;
import dev.hkd.api.DistillationStep;
import dev.hkd.api.Distiller;
import dev.hkd.api.DistillerSetup;
import dev.hkd.api.InitStage;
import dev.hkd.api.LossTerms;
import dev.hkd.api.ModelNeeds;
import dev.hkd.api.NonNegative;
import dev.hkd.api.OptionException;
import dev.hkd.api.Positive;
import dev.hkd.api.Scalars;
import dev.hkd.baselines.RepDistillerInit;
import dev.hkd.baselines.StageFeatures;
import dev.hkd.baselines.StageModules;
import dev.hkd.baselines.fitnet.ConvRegressor;
import dev.hkd.losses.AbLoss;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code ab}: activation-boundary distillation as RepDistiller runs it. Its init stage trains the
 * connectors and the student's feature layers on the AB loss between the connected student
 * pre-activations {@code feat[1:-1]} and the teacher's, for {@code init_epochs}; distillation then
 * adds nothing (the script's β = 1 weighs a zero term). A connector is the identity where channels
 * and height match the teacher's, else a conv (3×3 stride 2, 4×4 transposed stride 2, or valid) with
 * BatchNorm on batch statistics.
 */
public final class AbProvider extends AbstractDistillerProvider<AbProvider.Config> {

    /**
     * @param margin m of the boundary loss (1.0)
     * @param initEpochs epochs of the init stage (RepDistiller's {@code --init_epochs}, 30)
     * @param initLr its constant learning rate (RepDistiller's {@code --learning_rate}, 0.05; 0.01 for
     *     MobileNetV2 and ShuffleNet students)
     */
    public record Config(
            @Positive double margin,
            @NonNegative int initEpochs,
            @Positive double initLr) {}

    public AbProvider() {
        super(
                "ab",
                "AB: activation boundaries of pre-ReLU maps, trained in an init stage (AAAI 2019)",
                new Config(1.0, 30, 0.05),
                1);
    }

    @Override
    public Distiller create(Config c) {
        return new Distiller() {
            private StageModules connectors;

            @Override
            public ModelNeeds modelNeeds() {
                return new ModelNeeds(true, true, ModelNeeds.TeacherBatchNorm.EVAL, true);
            }

            @Override
            public void prepare(DistillerSetup setup) {
                connectors = connectors(
                        StageFeatures.intermediate(setup.studentFeatures()),
                        StageFeatures.intermediate(setup.teacherFeatures()));
                connectors.initialize(
                        setup.manager(), setup.dataType(), StageFeatures.intermediate(setup.studentFeatures()));
            }

            @Override
            public InitStage initStage() {
                return new RepDistillerInit(
                        c.initEpochs(),
                        c.initLr(),
                        Map.of("connectors", connectors),
                        true,
                        (student, teacher, ps) -> sum(AbLoss.perStage(
                                connectors.apply(ps, StageFeatures.intermediate(student.preActivationFeatures()), true),
                                StageFeatures.intermediate(teacher.preActivationFeatures()),
                                c.margin())));
            }

            @Override
            public LossTerms loss(DistillationStep step) {
                // Nothing to distil after the init stage; a zero (+0, not -0) on the student's graph, so that the term
                // alone differentiates.
                return LossTerms.of(
                        "ab", Scalars.mul(step.student().logits().sum(), 0).abs());
            }
        };
    }

    /**
     * RepDistiller's {@code Connector}: per stage the identity, or a {@link ConvRegressor} without
     * its ReLU. {@code student}, {@code teacher}: per-sample {@code [C, H, W]} shapes.
     */
    public static StageModules connectors(List<Shape> student, List<Shape> teacher) {
        if (student.size() != teacher.size()) {
            throw new OptionException(
                    "name",
                    "ab needs as many student stages as teacher stages, got " + student.size() + " and "
                            + teacher.size());
        }
        List<Block> modules = new ArrayList<>();
        for (int i = 0; i < student.size(); i++) {
            Shape s = student.get(i);
            Shape t = teacher.get(i);
            if (s.get(0) == t.get(0) && s.get(1) == t.get(1)) {
                modules.add(null);
            } else if (s.get(1) == 2 * t.get(1) || 2 * s.get(1) == t.get(1) || s.get(1) >= t.get(1)) {
                modules.add(new ConvRegressor(s, t, false));
            } else {
                throw new IllegalArgumentException("method 'ab' cannot connect the student's stage " + (i + 1) + " map "
                        + s + " to the teacher's " + t + ": the student map must be half, equal or larger in height");
            }
        }
        return new StageModules(modules);
    }

    private static NDArray sum(List<NDArray> terms) {
        NDArray total = terms.get(0);
        for (int i = 1; i < terms.size(); i++) {
            total = total.add(terms.get(i));
        }
        return total;
    }
}
