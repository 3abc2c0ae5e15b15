package dev.hkd.api;

/**
 * Makes a {@link Distiller} known to the framework. Providers are found with
 * {@link java.util.ServiceLoader}: list the implementing class in
 * {@code META-INF/services/dev.hkd.api.DistillerProvider} of your jar and put the jar on the
 * classpath — no framework change. The method's YAML section is bound to {@link #configType()}
 * (a record; snake_case keys; unknown keys are rejected) on top of {@link #defaultConfig()}.
 *
 * <p>Write a provider by extending {@link AbstractDistillerProvider}, which takes the fixed facts
 * (id, description, options record, defaults, weight) in one constructor call; every provider the
 * framework ships is written so, and a test holds it:
 *
 * <pre>{@code
 * public final class MseLogitsProvider extends AbstractDistillerProvider<MseLogitsProvider.Config> {
 *     public record Config(@Positive double scale) {}
 *     public MseLogitsProvider() {
 *         super("mse-logits", "MSE between student and teacher logits", new Config(1.0), 1.0);
 *     }
 *     public Distiller create(Config config) { return new MseLogits(config.scale()); }
 * }
 * }</pre>
 *
 * @param <C> the method's configuration record
 */
public interface DistillerProvider<C> {

    /** The id used in configs and on the command line, lower case, e.g. {@code crd}. */
    String id();

    /** One line for {@code hkd methods}. */
    String description();

    /** The record type the YAML options bind to. */
    Class<C> configType();

    /** The reference implementation's options. */
    C defaultConfig();

    /**
     * The weight (β, or α for KD) the reference scripts give this method when none is configured
     * and it is combined with others ({@code crd+kd}).
     */
    double referenceWeight();

    /**
     * The weights when this method runs alone: its own, and γ, the framework's cross-entropy's:
     * {@link #referenceWeight()} and 1 unless the reference scripts weigh it differently then (KD:
     * 0.9 and 0.1). In a combination ({@code crd+kd}) each method weighs its reference weight and the
     * cross-entropy 1; {@code method.weights} overrides both.
     */
    default WeightsAlone weightsAlone() {
        return new WeightsAlone(referenceWeight(), 1.0);
    }

    /**
     * A method's weight and the cross-entropy's when the method runs alone.
     *
     * @param method the method's weight (α for KD)
     * @param crossEntropy γ, the weight of the framework's cross-entropy
     */
    record WeightsAlone(double method, double crossEntropy) {}

    /**
     * Rejects option values that are of the right type but meaningless together, with an
     * {@link OptionException} that names the key (the framework adds the file and the line). The
     * bounds of single options are declared on the record's components ({@link Positive},
     * {@link NonNegative}, {@link AtLeast}, {@link InRange}) and checked by {@link OptionBounds}
     * first, so this is only for rules that span options, or that no annotation says.
     */
    default void validate(C config) {}

    Distiller create(C config);
}
