package dev.hkd.api;

/**
 * A {@link DistillerProvider} whose fixed facts are given once, in the constructor: a provider is
 * then its config record (whose class is the config type, and whose components carry their bounds,
 * {@link Positive} and the like), a no-argument constructor and {@code create}; {@code validate}
 * only where a rule spans options.
 *
 * <pre>{@code
 * public final class MseLogitsProvider extends AbstractDistillerProvider<MseLogitsProvider.Config> {
 *     public record Config(@Positive double scale) {}
 *
 *     public MseLogitsProvider() {
 *         super("mse-logits", "MSE between student and teacher logits", new Config(1.0), 1.0);
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
     * @param defaults the reference implementation's options, a record: its class is the type the
     *     YAML options bind to
     * @param referenceWeight the weight the reference scripts give the method
     */
    @SuppressWarnings("unchecked") // a record class is final, so the defaults' class is exactly C
    protected AbstractDistillerProvider(String id, String description, C defaults, double referenceWeight) {
        if (!defaults.getClass().isRecord()) {
            throw new IllegalArgumentException("method '" + id + "': options must be a record, got "
                    + defaults.getClass().getName());
        }
        this.id = id;
        this.description = description;
        this.configType = (Class<C>) defaults.getClass();
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
}
