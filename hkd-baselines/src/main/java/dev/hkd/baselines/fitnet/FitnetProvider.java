package dev.hkd.baselines.fitnet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.hkd.api.AbstractDistillerProvider;
import dev.hkd.api.DistillationStep;
import dev.hkd.api.Distiller;
import dev.hkd.api.DistillerSetup;
import dev.hkd.api.LossTerms;
import dev.hkd.api.NonNegative;
import dev.hkd.api.OptionException;
import java.util.Map;

/** {@code fitnet}: hint MSE between the regressed student map and the teacher's at {@code hint_layer}, β = 100. */
public final class FitnetProvider extends AbstractDistillerProvider<FitnetProvider.Config> {

    /** @param hintLayer index into the feature list, stem = 0 (RepDistiller's default 2) */
    public record Config(@NonNegative int hintLayer) {}

    public FitnetProvider() {
        super(
                "fitnet",
                "FitNet: MSE of a regressed student stage map to the teacher's (ICLR 2015)",
                new Config(2),
                100);
    }

    @Override
    public Distiller create(Config c) {
        return new Distiller() {
            private ConvRegressor regressor;

            @Override
            public void prepare(DistillerSetup setup) {
                int last = Math.min(
                                setup.studentFeatures().size(),
                                setup.teacherFeatures().size())
                        - 2;
                if (c.hintLayer() > last) {
                    throw new OptionException(
                            "hint_layer", "must be at most " + last + " for these models, got " + c.hintLayer());
                }
                Shape s = setup.studentFeatures().get(c.hintLayer());
                regressor = new ConvRegressor(s, setup.teacherFeatures().get(c.hintLayer()));
                regressor.initialize(setup.manager(), setup.dataType(), new Shape(1).addAll(s));
            }

            @Override
            public Map<String, Block> trainableModules() {
                return Map.of("regressor", regressor);
            }

            @Override
            public LossTerms loss(DistillationStep step) {
                NDArray hint = regressor
                        .forward(
                                step.parameters(),
                                new NDList(step.student().features().get(c.hintLayer())),
                                step.training())
                        .head();
                NDArray target = step.teacher().features().get(c.hintLayer()).stopGradient();
                return LossTerms.of("fitnet", hint.sub(target).square().mean());
            }
        };
    }
}
