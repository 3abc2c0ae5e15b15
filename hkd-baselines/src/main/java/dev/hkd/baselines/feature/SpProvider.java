package dev.hkd.baselines.feature;

import dev.hkd.api.AbstractDistillerProvider;
import dev.hkd.api.Distiller;
import dev.hkd.api.LossTerms;
import dev.hkd.baselines.StageFeatures;
import dev.hkd.losses.SpLoss;

/** {@code sp}: similarity-preserving KD on the last stage's maps, β = 3000 (RepDistiller). */
public final class SpProvider extends AbstractDistillerProvider<SpProvider.Config> {

    /** SP has no options. */
    public record Config() {}

    public SpProvider() {
        super("sp", "SP: similarity-preserving KD of the last stage's maps (ICCV 2019)", new Config(), 3000);
    }

    @Override
    public Distiller create(Config c) {
        return step -> LossTerms.of(
                "sp",
                SpLoss.compute(
                        StageFeatures.lastMap(step.student().features()),
                        StageFeatures.lastMap(step.teacher().features())));
    }
}
