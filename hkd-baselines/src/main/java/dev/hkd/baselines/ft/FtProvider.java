package dev.hkd.baselines.ft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.hkd.api.AbstractDistillerProvider;
import dev.hkd.api.DistillationStep;
import dev.hkd.api.Distiller;
import dev.hkd.api.DistillerSetup;
import dev.hkd.api.InitStage;
import dev.hkd.api.LossTerms;
import dev.hkd.api.NonNegative;
import dev.hkd.api.Positive;
import dev.hkd.baselines.RepDistillerInit;
import dev.hkd.baselines.StageFeatures;
import dev.hkd.losses.FactorTransferLoss;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code ft}: factor transfer as RepDistiller runs it, β = 200 ({@code scripts/run_cifar_distill.sh}).
 * The init stage trains the paraphraser to reconstruct the teacher's last map {@code feat[-2]}
 * (mean squared error) for {@code init_epochs}; distillation then trains the translator on the
 * student's last map and the student with the factor loss against the frozen paraphraser's factor.
 */
public final class FtProvider extends AbstractDistillerProvider<FtProvider.Config> {

    /**
     * @param k the factor's share of the teacher's channels (the paraphrase rate, 0.5)
     * @param initEpochs epochs of the paraphraser's init stage (RepDistiller's {@code --init_epochs}, 30)
     * @param initLr its constant learning rate (RepDistiller: 0.01 for ResNet and WRN students, else the
     *     run's learning rate, 0.05 for VGG and ResNet50, 0.01 for MobileNetV2 and ShuffleNet)
     */
    public record Config(
            double k, @NonNegative int initEpochs, @Positive double initLr) {}

    public FtProvider() {
        super(
                "ft",
                "FT: factor transfer through a pre-trained paraphraser and a translator (NeurIPS 2018)",
                new Config(0.5, 30, 0.01),
                200);
    }

    @Override
    public void validate(Config c) {
        require(c.k() > 0 && c.k() <= 1, "k", "must be in (0, 1], got " + c.k());
    }

    @Override
    public Distiller create(Config c) {
        return new Distiller() {
            private FactorNetwork translator;
            private FactorNetwork paraphraser;

            @Override
            public void prepare(DistillerSetup setup) {
                Shape s = StageFeatures.lastMap(setup.studentFeatures());
                Shape t = StageFeatures.lastMap(setup.teacherFeatures());
                if ((long) (t.get(0) * c.k()) < 1) {
                    throw new IllegalArgumentException(
                            "method 'ft': k = " + c.k() + " leaves no factor channel of the teacher's " + t.get(0));
                }
                translator = FactorNetwork.translator(s.get(0), t.get(0), c.k());
                translator.initialize(setup.manager(), setup.dataType(), new Shape(1).addAll(s));
                paraphraser = FactorNetwork.paraphraser(t.get(0), c.k());
                paraphraser.initialize(setup.manager(), setup.dataType(), new Shape(1).addAll(t));
            }

            @Override
            public Map<String, Block> trainableModules() {
                return Map.of("translator", translator);
            }

            @Override
            public InitStage initStage() {
                return new RepDistillerInit(
                        c.initEpochs(),
                        c.initLr(),
                        Map.of("paraphraser", paraphraser),
                        false,
                        (student, teacher, ps) -> {
                            NDArray target =
                                    StageFeatures.lastMap(teacher.features()).stopGradient();
                            return paraphraser
                                    .reconstruct(ps, target, true)
                                    .sub(target)
                                    .square()
                                    .mean();
                        });
            }

            @Override
            public LossTerms loss(DistillationStep step) {
                NDArray factorS = translator.encode(
                        step.parameters(), StageFeatures.lastMap(step.student().features()), step.training());
                // The paraphraser, trained by the init stage, is a constant of distillation.
                NDArray factorT = paraphraser
                        .encode(
                                step.parameters(),
                                StageFeatures.lastMap(step.teacher().features()).stopGradient(),
                                false)
                        .stopGradient();
                return LossTerms.of("ft", FactorTransferLoss.compute(factorS, factorT));
            }

            /** The paraphraser, trained by the init stage and carried by checkpoints. */
            @Override
            public Map<String, NDArray> state() {
                Map<String, NDArray> state = new LinkedHashMap<>();
                for (Pair<String, Parameter> p : paraphraser.getParameters()) {
                    state.put("paraphraser." + p.getKey(), p.getValue().getArray());
                }
                return state;
            }
        };
    }
}
