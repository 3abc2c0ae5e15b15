package dev.hkd.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The option must be {@code >= value()}, for counts such as a number of loops or a power. Checked
 * by {@link OptionBounds} when the framework binds a method's options.
 *
 * <pre>{@code
 * public record Config(@AtLeast(1) int p) {}
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface AtLeast {
    long value();
}
