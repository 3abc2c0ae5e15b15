package dev.hkd.baselines.dkd;

import ai.djl.ndarray.NDArray;
import dev.hkd.api.AbstractDistillerProvider;
import dev.hkd.api.Distiller;
import dev.hkd.api.LogitDistiller;
import dev.hkd.api.LossTerms;
import dev.hkd.api.NonNegative;
import dev.hkd.api.Positive;
import dev.hkd.losses.DkdLoss;
import dev.hkd.losses.LogitStandardization;

/**
 * {@code dkd}: Decoupled KD (Zhao et al., CVPR 2022) as mdistiller (a08d46f) computes it:
 * {@code min(epoch / warmup_epochs, 1) · (α·TCKD + β·NCKD)} at temperature T, with epochs counted
 * from 1 as mdistiller counts them. Defaults are mdistiller's: α 1, β 8, T 4, warm-up 20 epochs,
 * CE weight 1. DKD runs alone: it is its own KD. With {@code logit_standardization} both networks'
 * logits are standardised per row before T (Sun et al., CVPR 2024). Terms: {@code tckd},
 * {@code nckd} (each times T², before α, β and the warm-up).
 *
 * <pre>{@code
 * method: {name: dkd, options: {dkd: {beta: 6}}}
 * }</pre>
 */
public final class DkdProvider extends AbstractDistillerProvider<DkdProvider.Config> {

    /**
     * @param alpha weight of TCKD (1)
     * @param beta weight of NCKD (8; mdistiller uses 6 or 2 for some CIFAR-100 pairs)
     * @param temperature T (4)
     * @param warmupEpochs epochs over which the loss ramps up linearly (20; 0 = none)
     * @param logitStandardization standardise both networks' logits first
     */
    public record Config(
            @NonNegative double alpha,
            @NonNegative double beta,
            @Positive double temperature,
            @NonNegative int warmupEpochs,
            boolean logitStandardization) {}

    public DkdProvider() {
        super(
                "dkd",
                "DKD: α·TCKD + β·NCKD, target and non-target KD decoupled (CVPR 2022; α 1, β 8, T 4)",
                new Config(1.0, 8.0, 4.0, 20, false),
                1.0);
    }

    @Override
    public Distiller create(Config c) {
        return (LogitDistiller) step -> {
            NDArray student = step.student().logits();
            NDArray teacher = step.teacher().logits();
            if (c.logitStandardization()) {
                student = LogitStandardization.apply(student);
                teacher = LogitStandardization.apply(teacher.stopGradient());
            }
            DkdLoss.Terms t = DkdLoss.compute(student, teacher, step.batch().labels(), c.temperature());
            double warmUp = warmUp(step.batch().epoch(), c.warmupEpochs());
            return LossTerms.builder()
                    .add("tckd", t.tckd(), warmUp * c.alpha())
                    .add("nckd", t.nckd(), warmUp * c.beta())
                    .build();
        };
    }

    /** {@code min(epoch / warmup, 1)} with the 0-based epoch counted from 1, as mdistiller passes it. */
    static double warmUp(int epoch, int warmupEpochs) {
        return warmupEpochs == 0 ? 1.0 : Math.min((epoch + 1) / (double) warmupEpochs, 1.0);
    }
}
