package dev.hkd.baselines.feature;

import ai.djl.ndarray.NDArray;
import dev.hkd.api.AbstractDistillerProvider;
import dev.hkd.api.AtLeast;
import dev.hkd.api.Distiller;
import dev.hkd.api.LossTerms;
import dev.hkd.baselines.StageFeatures;
import dev.hkd.losses.AtLoss;
import java.util.List;

/** {@code at}: attention transfer on the intermediate stage features, β = 1000 (RepDistiller). */
public final class AtProvider extends AbstractDistillerProvider<AtProvider.Config> {

    /** @param p the power of the attention map (2) */
    public record Config(@AtLeast(1) int p) {}

    public AtProvider() {
        super("at", "AT: attention transfer of intermediate stage maps, p = 2 (ICLR 2017)", new Config(2), 1000);
    }

    @Override
    public Distiller create(Config c) {
        return step -> {
            List<NDArray> losses = AtLoss.perStage(
                    StageFeatures.intermediate(step.student().features()),
                    StageFeatures.intermediate(step.teacher().features()),
                    c.p());
            NDArray sum = losses.get(0);
            for (int i = 1; i < losses.size(); i++) {
                sum = sum.add(losses.get(i));
            }
            return LossTerms.of("at", sum);
        };
    }
}
