package dev.hkd.baselines.ctkd;

import dev.hkd.api.AbstractDistillerProvider;
import dev.hkd.api.Distiller;

/**
 * {@code ctkd}: Curriculum Temperature KD (Li et al., AAAI 2023) with the global learnable
 * temperature of its CIFAR script (7d52522): KD at {@code τ = t_start + t_end · sigmoid(GRL(θ))},
 * θ trained with the student, its gradient reversed by λ, which a cosine schedule takes from
 * {@code decay_max} 0 to {@code decay_min} −1 over {@code decay_loops} 10 epochs (counted from 1),
 * so that τ ascends the KD loss ever harder. Weights are the script's {@code -r 0.1 -a 0.9}: CE 0.1
 * and KD 0.9 alone (1 in a combination, as KD). Terms: {@code kd} (times τ², before α) and
 * {@code temperature}, τ itself at weight 0, so that every epoch's mean τ reaches
 * {@code metrics.jsonl} and MLflow as {@code ctkd.temperature}.
 *
 * <pre>{@code
 * method: {name: ctkd, options: {ctkd: {decay_loops: 20}}}
 * }</pre>
 */
public final class CtkdProvider extends AbstractDistillerProvider<CtkdProvider.Config> {

    /**
     * @param tStart the temperature's lower bound (1)
     * @param tEnd its range: τ ∈ (t_start, t_start + t_end) (20)
     * @param initialTheta θ at the start (the reference's {@code global_T} starts at 1)
     * @param decayMax λ at epoch 0 of the cosine (0)
     * @param decayMin λ from epoch {@code decay_loops} on (−1)
     * @param decayLoops epochs over which λ falls (10)
     */
    public record Config(
            double tStart, double tEnd, double initialTheta, double decayMax, double decayMin, int decayLoops) {}

    public CtkdProvider() {
        super(
                "ctkd",
                "CTKD: KD at a learnt global temperature trained adversarially through gradient reversal (AAAI 2023)",
                new Config(1.0, 20.0, 1.0, 0.0, -1.0, 10),
                1.0);
    }

    /** The script's {@code -a 0.9 -r 0.1} for CTKD alone; in a combination its KD weighs 1, as KD's does. */
    @Override
    public WeightsAlone weightsAlone() {
        return new WeightsAlone(0.9, 0.1);
    }

    @Override
    public void validate(Config c) {
        require(
                Double.isFinite(c.tStart()) && c.tStart() >= 0,
                "t_start",
                "must be >= 0 (τ must stay positive), got " + c.tStart());
        require(Double.isFinite(c.tEnd()) && c.tEnd() > 0, "t_end", "must be > 0, got " + c.tEnd());
        require(Double.isFinite(c.initialTheta()), "initial_theta", "must be a finite number, got " + c.initialTheta());
        require(Double.isFinite(c.decayMax()), "decay_max", "must be a finite number, got " + c.decayMax());
        require(
                Double.isFinite(c.decayMin()) && c.decayMin() <= c.decayMax(),
                "decay_min",
                "must be <= decay_max (" + c.decayMax() + "), got " + c.decayMin());
        require(c.decayLoops() >= 1, "decay_loops", "must be >= 1, got " + c.decayLoops());
    }

    @Override
    public Distiller create(Config c) {
        return new CtkdDistiller(c);
    }
}
