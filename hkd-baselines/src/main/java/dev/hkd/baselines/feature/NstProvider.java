package dev.hkd.baselines.feature;

import dev.hkd.api.AbstractDistillerProvider;
import dev.hkd.api.Distiller;
import dev.hkd.api.LossTerms;
import dev.hkd.baselines.StageFeatures;
import dev.hkd.losses.NstLoss;

/**
 * {@code nst}: neuron selectivity transfer (polynomial kernel of degree 2, full loss) on the
 * intermediate stage maps, β = 50 (RepDistiller's {@code scripts/run_cifar_distill.sh},
 * mdistiller's {@code NST.LOSS.FEAT_WEIGHT}).
 */
public final class NstProvider extends AbstractDistillerProvider<NstProvider.Config> {

    /** The kernel; RepDistiller's NSTLoss has only the polynomial one. Lower case: the YAML spelling. */
    public enum Kernel {
        poly
    }

    /** @param kernel the kernel between channel vectors ({@code poly}: {@code (a·b)²}) */
    public record Config(Kernel kernel) {}

    public NstProvider() {
        super(
                "nst",
                "NST: neuron selectivity transfer, MMD of channel activations with a (a.b)^2 kernel (2017)",
                new Config(Kernel.poly),
                50);
    }

    @Override
    public void validate(Config c) {
        require(c.kernel() != null, "kernel", "must be poly");
    }

    @Override
    public Distiller create(Config c) {
        return step -> LossTerms.of(
                "nst",
                StageSums.sum(NstLoss.perStage(
                        StageFeatures.intermediate(step.student().features()),
                        StageFeatures.intermediate(step.teacher().features()))));
    }
}
