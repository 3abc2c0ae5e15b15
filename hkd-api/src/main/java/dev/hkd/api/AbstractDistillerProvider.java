package dev.hkd.api;

/**
 * A {@link DistillerProvider} whose fixed facts are given once, in the constructor: a provider is
 * then its config record, a no-argument constructor, {@code create}, and (if some option values are
 * meaningless) {@code validate}.
 *
 * <pre>{@code
 * public final class MseLogitsProvider extends AbstractDistillerProvider<MseLogitsProvider.Config> {
 *     public record Config(double scale) {}
 *
 *     public MseLogitsProvider() {
 *         super("mse-logits", "MSE between student and teacher logits", Config.class, new Config(1.0), 1.0);
 *     }
 *
 *     public void validate(Config c) {
 *         requirePositive("scale", c.scale());
 *     }
 *
 *     public Distiller create(Config c) {
 *         return step -> LossTerms.of("mse", Scalars.mul(
 *                 step.student().logits().sub(step.teacher().logits()).square().mean(), c.scale()));
 *     }
 * }
 * }</pre>
 *
 * @param <C> the method's configuration record
 */
public abstract class AbstractDistillerProvider<C> implements DistillerProvider<C> {

    private final String id;
    private final String description;
    private final Class<C> configType;
    private final C defaults;
    private final double referenceWeight;

    /**
     * @param id the method's id in configs, lower case
     * @param description one line for {@code hkd methods}
     * @param configType the record the YAML options bind to
     * @param defaults the reference implementation's options
     * @param referenceWeight the weight the reference scripts give the method
     */
    protected AbstractDistillerProvider(
            String id, String description, Class<C> configType, C defaults, double referenceWeight) {
        this.id = id;
        this.description = description;
        this.configType = configType;
        this.defaults = defaults;
        this.referenceWeight = referenceWeight;
    }

    @Override
    public final String id() {
        return id;
    }

    @Override
    public final String description() {
        return description;
    }

    @Override
    public final Class<C> configType() {
        return configType;
    }

    @Override
    public final C defaultConfig() {
        return defaults;
    }

    @Override
    public final double referenceWeight() {
        return referenceWeight;
    }

    /** Throws an {@link OptionException} for {@code key} unless {@code ok}. */
    protected static void require(boolean ok, String key, String detail) {
        OptionException.require(ok, key, detail);
    }

    /** Refuses {@code value} of option {@code key} unless it is {@code > 0} (NaN is refused). */
    protected static void requirePositive(String key, double value) {
        require(value > 0, key, "must be > 0, got " + value);
    }

    /** Refuses {@code value} of option {@code key} unless it is {@code > 0}. */
    protected static void requirePositive(String key, long value) {
        require(value > 0, key, "must be > 0, got " + value);
    }

    /** Refuses {@code value} of option {@code key} unless it is {@code >= 0} (NaN is refused). */
    protected static void requireNonNegative(String key, double value) {
        require(value >= 0, key, "must be >= 0, got " + value);
    }

    /** Refuses {@code value} of option {@code key} unless it is {@code >= 0}. */
    protected static void requireNonNegative(String key, long value) {
        require(value >= 0, key, "must be >= 0, got " + value);
    }
}
