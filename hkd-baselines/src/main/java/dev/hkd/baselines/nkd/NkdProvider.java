package dev.hkd.baselines.nkd;

import dev.hkd.api.AbstractDistillerProvider;
import dev.hkd.api.Distiller;
import dev.hkd.api.LogitDistiller;
import dev.hkd.api.LossTerms;
import dev.hkd.api.NonNegative;
import dev.hkd.api.Positive;
import dev.hkd.losses.NkdLoss;

/**
 * {@code nkd}: Normalized KD (Yang et al., ICCV 2023) as cls_KD's {@code NKDLoss} (1e5d48f)
 * computes it: {@code target + γ · nonTarget}, the teacher's target probability times the
 * student's log-probability, and KD over the non-target classes with the target column removed
 * before the tempered softmax. Defaults are cls_KD's CIFAR-100 config: T 3, γ 3.5, at weight 1
 * beside CE 1. Terms: {@code target}, {@code non_target} (times T², before γ).
 *
 * <pre>{@code
 * method: {name: nkd, options: {nkd: {temperature: 1, gamma: 1.5}}}   # NKDLoss's own defaults
 * }</pre>
 */
public final class NkdProvider extends AbstractDistillerProvider<NkdProvider.Config> {

    /**
     * @param temperature T of the non-target part (3)
     * @param gamma γ, the non-target part's weight (3.5)
     */
    public record Config(
            @Positive double temperature, @NonNegative double gamma) {}

    public NkdProvider() {
        super(
                "nkd",
                "NKD: target-class term plus KD over the renormalised non-target classes (ICCV 2023; T 3, γ 3.5)",
                new Config(3.0, 3.5),
                1.0);
    }

    @Override
    public Distiller create(Config c) {
        return (LogitDistiller) step -> {
            NkdLoss.Terms t = NkdLoss.compute(
                    step.student().logits(),
                    step.teacher().logits(),
                    step.batch().labels(),
                    c.temperature());
            return LossTerms.builder()
                    .add("target", t.target(), 1.0)
                    .add("non_target", t.nonTarget(), c.gamma())
                    .build();
        };
    }
}
