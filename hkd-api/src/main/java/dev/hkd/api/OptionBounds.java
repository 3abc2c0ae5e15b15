package dev.hkd.api;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;

/**
 * Checks the bounds a method's config record declares on its components ({@link Positive},
 * {@link NonNegative}, {@link AtLeast}, {@link InRange}), so that a provider states a bound once,
 * where the option is declared, and every method refuses a bad value with the same words. The
 * framework calls it on the bound options before {@link DistillerProvider#validate}, which is left
 * with the rules that span options.
 *
 * <pre>{@code
 * public record Config(@Positive double temperature, @InRange(min = 0, max = 1) double ratio) {}
 *
 * OptionBounds.check(new Config(4, 1.5)); // OptionException: ratio: must be in [0, 1], got 1.5
 * }</pre>
 */
public final class OptionBounds {

    private OptionBounds() {}

    /**
     * Throws an {@link OptionException} naming the first component of {@code options} (a record)
     * whose value is out of its declared bounds; the key is the component's name in snake case, as
     * the YAML spells it ({@code initPredVar} is {@code init_pred_var}).
     */
    public static void check(Object options) {
        if (options == null || !options.getClass().isRecord()) {
            return;
        }
        for (RecordComponent component : options.getClass().getRecordComponents()) {
            Object value = value(options, component);
            if (value instanceof Number number) {
                check(yamlKey(component.getName()), number, component);
            } else if (value != null && bounded(component)) {
                throw new IllegalStateException("a bound on "
                        + options.getClass().getName() + "." + component.getName() + ", which is not a number but "
                        + value.getClass().getName());
            }
        }
    }

    private static boolean bounded(RecordComponent c) {
        return c.isAnnotationPresent(Positive.class)
                || c.isAnnotationPresent(NonNegative.class)
                || c.isAnnotationPresent(AtLeast.class)
                || c.isAnnotationPresent(InRange.class);
    }

    /** {@code initPredVar} as the config binder spells it: {@code init_pred_var}. */
    public static String yamlKey(String componentName) {
        StringBuilder key = new StringBuilder();
        for (char c : componentName.toCharArray()) {
            if (Character.isUpperCase(c)) {
                key.append('_').append(Character.toLowerCase(c));
            } else {
                key.append(c);
            }
        }
        return key.toString();
    }

    private static void check(String key, Number number, RecordComponent component) {
        double v = number.doubleValue();
        if (component.isAnnotationPresent(Positive.class)) {
            OptionException.require(v > 0, key, "must be > 0, got " + number);
        }
        if (component.isAnnotationPresent(NonNegative.class)) {
            OptionException.require(v >= 0, key, "must be >= 0, got " + number);
        }
        AtLeast atLeast = component.getAnnotation(AtLeast.class);
        if (atLeast != null) {
            OptionException.require(v >= atLeast.value(), key, "must be >= " + atLeast.value() + ", got " + number);
        }
        InRange range = component.getAnnotation(InRange.class);
        if (range != null) {
            OptionException.require(
                    v >= range.min() && v <= range.max(),
                    key,
                    "must be in [" + plain(range.min()) + ", " + plain(range.max()) + "], got " + number);
        }
    }

    /** {@code 0.0} as {@code 0}: bounds are written as the user would write them. */
    private static String plain(double bound) {
        return bound == Math.rint(bound) && Math.abs(bound) < 1e15
                ? Long.toString((long) bound)
                : Double.toString(bound);
    }

    private static Object value(Object record, RecordComponent component) {
        try {
            var accessor = component.getAccessor();
            accessor.trySetAccessible();
            return accessor.invoke(record);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read option " + component.getName() + " of " + record, e);
        }
    }
}
