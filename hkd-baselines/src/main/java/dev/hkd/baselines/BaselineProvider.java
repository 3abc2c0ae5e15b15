package dev.hkd.baselines;

import dev.hkd.api.OptionException;
import dev.hkd.api.DistillerProvider;

/** The fixed facts of a provider in one constructor call; subclasses add validation and {@code create}. */
public abstract class BaselineProvider<C> implements DistillerProvider<C> {

    private final String id;
    private final String description;
    private final Class<C> configType;
    private final C defaults;
    private final double referenceWeight;

    protected BaselineProvider(String id, String description, Class<C> configType, C defaults, double referenceWeight) {
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
    protected static void require(boolean ok, String key, String message) {
        if (!ok) {
            throw new OptionException(key, message);
        }
    }
}
