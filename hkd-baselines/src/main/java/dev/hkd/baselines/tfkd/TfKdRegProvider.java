package dev.hkd.baselines.tfkd;

import dev.hkd.api.AbstractDistillerProvider;
import dev.hkd.api.DistillationStep;
import dev.hkd.api.Distiller;
import dev.hkd.api.DistillerSetup;
import dev.hkd.api.InRange;
import dev.hkd.api.LossTerms;
import dev.hkd.api.ModelNeeds;
import dev.hkd.api.NonNegative;
import dev.hkd.api.Positive;
import dev.hkd.losses.VirtualTeacherLoss;

/**
 * {@code tfkd-reg}: Teacher-free KD with a virtual teacher (Yuan et al., CVPR 2020), as the
 * authors' {@code loss_kd_regularization} (d000ab3) computes it:
 * {@code (1 − α) · CE + α · multiplier · KL(softmax(u/T) ‖ softmax(z_s))}, the KL averaged over
 * all B·C elements, u the virtual teacher's probabilities (0.99 at the label). It needs no
 * teacher: a run of it alone trains, loads and runs none ({@link ModelNeeds#NONE}). α is the
 * method's weight and 1 − α the CE weight: 0.1 and 0.9, the default CIFAR-100 experiment's, with
 * T 20 and multiplier 100. One term, {@code tfkd-reg} (the KL, before the multiplier and α).
 *
 * <pre>{@code
 * method: {name: tfkd-reg, weights: {ce: 0.8, tfkd-reg: 0.2}}   # α = 0.2: give both weights
 * }</pre>
 */
public final class TfKdRegProvider extends AbstractDistillerProvider<TfKdRegProvider.Config> {

    /**
     * @param temperature T of the virtual teacher (20)
     * @param correctProb the virtual teacher's probability of the label (0.99)
     * @param multiplier the KL's factor inside the method (100)
     */
    public record Config(
            @Positive double temperature,
            @InRange(min = 0, max = 1) double correctProb,
            @NonNegative double multiplier) {}

    public TfKdRegProvider() {
        super(
                "tfkd-reg",
                "Tf-KD_reg: KL to a virtual teacher's softened label distribution, no teacher network (CVPR 2020; α 0.1, T 20)",
                new Config(20.0, 0.99, 100.0),
                0.1);
    }

    /** α 0.1 and the cross-entropy at the reference's {@code 1 − α}. */
    @Override
    public WeightsAlone weightsAlone() {
        return new WeightsAlone(referenceWeight(), 0.9);
    }

    @Override
    public Distiller create(Config c) {
        return new Distiller() {
            @Override
            public ModelNeeds modelNeeds() {
                return ModelNeeds.NONE;
            }

            @Override
            public void prepare(DistillerSetup setup) {
                if (setup.numClasses() < 2) {
                    throw new IllegalArgumentException(
                            "tfkd-reg needs at least 2 classes, the data has " + setup.numClasses());
                }
            }

            @Override
            public LossTerms loss(DistillationStep step) {
                return LossTerms.builder()
                        .add(
                                "tfkd-reg",
                                VirtualTeacherLoss.compute(
                                        step.student().logits(),
                                        step.batch().labels(),
                                        c.temperature(),
                                        c.correctProb()),
                                c.multiplier())
                        .build();
            }
        };
    }
}
