package dev.hkd.api;

/**
 * Makes a {@link Distiller} known to the framework. Providers are found with
 * {@link java.util.ServiceLoader}: list the implementing class in
 * {@code META-INF/services/dev.hkd.api.DistillerProvider} of your jar and put the jar on the
 * classpath — no framework change. The method's YAML section is bound to {@link #configType()}
 * (a record; snake_case keys; unknown keys are rejected) on top of {@link #defaultConfig()}.
 *
 * <pre>{@code
 * public final class MseLogitsProvider implements DistillerProvider<MseLogitsProvider.Config> {
 *     public record Config(double scale) {}
 *     public String id() { return "mse-logits"; }
 *     public String description() { return "MSE between student and teacher logits"; }
 *     public Class<Config> configType() { return Config.class; }
 *     public Config defaultConfig() { return new Config(1.0); }
 *     public double referenceWeight() { return 1.0; }
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

    /** The weight (β, or α for KD) the reference scripts use when none is configured. */
    double referenceWeight();

    /**
     * γ, the weight of the framework's cross-entropy when this method runs alone; 1 by default.
     * In a combination (or with {@code method.weights.ce}) the configuration decides.
     */
    default double referenceCrossEntropyWeight() {
        return 1.0;
    }

    /**
     * Rejects option values that are of the right type but meaningless, with an
     * {@link OptionException} that names the key (the framework adds the file and the line).
     */
    default void validate(C config) {
    }

    Distiller create(C config);
}
