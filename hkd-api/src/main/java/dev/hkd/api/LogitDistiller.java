package dev.hkd.api;

/**
 * A {@link Distiller} that reads only the two networks' logits, so neither network returns its
 * feature maps ({@link ModelNeeds#LOGITS}). It is a functional interface: a logits-only method
 * is its provider and one lambda.
 *
 * <pre>{@code
 * public Distiller create(Config c) {
 *     return (LogitDistiller) step -> LossTerms.of("mse", Scalars.mul(
 *             step.student().logits().sub(step.teacher().logits()).square().mean(), c.scale()));
 * }
 * }</pre>
 */
@FunctionalInterface
public interface LogitDistiller extends Distiller {

    @Override
    default ModelNeeds modelNeeds() {
        return ModelNeeds.LOGITS;
    }
}
