package dev.hkd.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The option must lie in the closed interval {@code [min(), max()]} (NaN is refused), for ratios
 * and probabilities. Checked by {@link OptionBounds} when the framework binds a method's options.
 *
 * <pre>{@code
 * public record Config(@InRange(min = 0, max = 1) double ratio) {}
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface InRange {
    double min();

    double max();
}
