package dev.hkd.baselines.dist;

import dev.hkd.api.AbstractDistillerProvider;
import dev.hkd.api.Distiller;
import dev.hkd.api.LogitDistiller;
import dev.hkd.api.LossTerms;
import dev.hkd.api.NonNegative;
import dev.hkd.api.Positive;
import dev.hkd.losses.DistLoss;

/**
 * {@code dist}: DIST (Huang et al., NeurIPS 2022), {@code τ² · (β · inter + γ · intra)} over the
 * softmax relations of the logits. Defaults are the authors' CIFAR-100 recipe:
 * {@code configs/strategies/distill/dist_cifar.yaml} of image_classification_sota (the DIST_KD
 * submodule, 6f7a70a) runs {@code kd: dist_t4} (DIST with β = γ = 1, τ = 4) at
 * {@code kd_loss_weight: 2} beside a CE weight of 1 — here β = γ = 2, τ = 4, weight 1. (Its
 * ImageNet default is β = γ = τ = 1.) Terms: {@code inter}, {@code intra} (each times τ², before β, γ).
 *
 * <pre>{@code
 * method: {name: dist, options: {dist: {beta: 1, gamma: 1, temperature: 1}}}
 * }</pre>
 */
public final class DistProvider extends AbstractDistillerProvider<DistProvider.Config> {

    /**
     * @param beta weight of the inter-class relation (2)
     * @param gamma weight of the intra-class relation (2)
     * @param temperature τ (4)
     */
    public record Config(
            @NonNegative double beta,
            @NonNegative double gamma,
            @Positive double temperature) {}

    public DistProvider() {
        super(
                "dist",
                "DIST: Pearson relations of the softmaxed logits, inter- and intra-class (NeurIPS 2022; β γ 2, τ 4)",
                new Config(2.0, 2.0, 4.0),
                1.0);
    }

    @Override
    public Distiller create(Config c) {
        return (LogitDistiller) step -> {
            DistLoss.Terms t =
                    DistLoss.compute(step.student().logits(), step.teacher().logits(), c.temperature());
            return LossTerms.builder()
                    .add("inter", t.inter(), c.beta())
                    .add("intra", t.intra(), c.gamma())
                    .build();
        };
    }
}
