package dev.hkd.baselines.wsld;

import dev.hkd.api.AbstractDistillerProvider;
import dev.hkd.api.Distiller;
import dev.hkd.api.LogitDistiller;
import dev.hkd.api.LossTerms;
import dev.hkd.api.Positive;
import dev.hkd.losses.WsldLoss;

/**
 * {@code wsld}: Weighted Soft Label Distillation (Zhou et al., ICLR 2021) as its authors'
 * {@code WSLDistiller} (67820dd) computes it: {@code CE + α · T² · mean_n[w_n · H_n]}, the soft
 * term a cross-entropy weighted per sample by how much worse the student does than the teacher
 * (the weight detached). The framework's CE at γ 1 is the reference's hard loss, and α is the
 * method's weight: 2.5 with T 2, the authors' (ImageNet) recipe; their CIFAR-100 setting is T 4,
 * α 2.25. One term, {@code wsld} (times T², before α).
 *
 * <pre>{@code
 * method: {name: wsld, weights: {ce: 1, wsld: 2.25}, options: {wsld: {temperature: 4}}}
 * }</pre>
 */
public final class WsldProvider extends AbstractDistillerProvider<WsldProvider.Config> {

    /** @param temperature T (2) */
    public record Config(@Positive double temperature) {}

    public WsldProvider() {
        super(
                "wsld",
                "WSLD: soft-label cross-entropy weighted per sample by the student/teacher CE ratio (ICLR 2021; T 2, α 2.5)",
                new Config(2.0),
                2.5);
    }

    @Override
    public Distiller create(Config c) {
        return (LogitDistiller) step -> LossTerms.of(
                "wsld",
                WsldLoss.compute(
                        step.student().logits(),
                        step.teacher().logits(),
                        step.batch().labels(),
                        c.temperature()));
    }
}
