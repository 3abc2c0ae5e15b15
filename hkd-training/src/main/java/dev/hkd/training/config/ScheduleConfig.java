package dev.hkd.training.config;

import java.util.List;

/**
 * Epochs and step decay: before 1-based epoch {@code e}, {@code lr = lr₀ · gamma^#{m : e > m}}
 * (docs/methods.md#recipe). Reference: 240 epochs, milestones 150, 180, 210, gamma 0.1.
 */
public record ScheduleConfig(Integer epochs, List<Integer> milestones, Double gamma) {

    /** The most epochs (and the latest milestone) a schedule may name. */
    public static final int MAX_EPOCHS = 100_000;

    public ScheduleConfig {
        epochs = epochs == null ? 240 : epochs;
        milestones = milestones == null ? List.of(150, 180, 210) : List.copyOf(milestones);
        gamma = gamma == null ? 0.1 : gamma;
        Check.between("epochs", epochs, 1, MAX_EPOCHS);
        Check.that(gamma > 0, "gamma", "must be > 0, got " + gamma);
        for (int m : milestones) {
            Check.between("milestones", m, 1, MAX_EPOCHS);
        }
    }

    /** The learning rate of 0-based epoch {@code epoch}. */
    public double learningRate(double baseLr, int epoch) {
        return stepDecay(baseLr, milestones, gamma, epoch);
    }

    /**
     * The step decay itself, for any schedule (a run's, or a method's init stage): the learning
     * rate of 0-based epoch {@code epoch}, {@code baseLr · gamma^#{m : epoch + 1 > m}}.
     */
    public static double stepDecay(double baseLr, List<Integer> milestones, double gamma, int epoch) {
        int oneBased = epoch + 1;
        long passed = milestones.stream().filter(m -> oneBased > m).count();
        return baseLr * Math.pow(gamma, passed);
    }
}
