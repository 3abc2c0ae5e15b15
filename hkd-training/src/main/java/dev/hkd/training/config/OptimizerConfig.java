package dev.hkd.training.config;

/**
 * SGD as PyTorch runs it: {@code g ← ∇ + wd·w; buf ← momentum·buf + g; w ← w − lr·buf}
 * (Nesterov: {@code w ← w − lr·(g + momentum·buf)}). Defaults are the reference's (§1.2).
 */
public record OptimizerConfig(Double lr, Double momentum, Double weightDecay, Boolean nesterov) {

    public OptimizerConfig {
        lr = lr == null ? 0.05 : lr;
        momentum = momentum == null ? 0.9 : momentum;
        weightDecay = weightDecay == null ? 5e-4 : weightDecay;
        nesterov = nesterov != null && nesterov;
        Check.that(lr > 0, "lr", "must be > 0, got " + lr);
        Check.that(momentum >= 0 && momentum < 1, "momentum", "must be in [0, 1), got " + momentum);
        Check.that(weightDecay >= 0, "weight_decay", "must be >= 0, got " + weightDecay);
        Check.that(!nesterov || momentum > 0, "nesterov", "needs momentum > 0");
    }

    public static OptimizerConfig reference() {
        return new OptimizerConfig(null, null, null, null);
    }
}
