package dev.hkd.api;

/**
 * A method option whose value is of the right type but meaningless, thrown by {@link OptionBounds}
 * (a declared bound) and {@link DistillerProvider#validate} (a rule across options). The framework
 * turns it into a one-line error that names the file, the line and
 * {@code method.options.<id>.<key>}.
 *
 * <pre>{@code
 * public void validate(Config c) {
 *     if (c.decayMin() > c.decayMax()) {
 *         throw new OptionException("decay_min", "must be <= decay_max (" + c.decayMax() + "), got " + c.decayMin());
 *     }
 * }
 * }</pre>
 */
public class OptionException extends IllegalArgumentException {

    private final String key;
    private final String detail;

    /** {@code key}: the option's YAML name ({@code nce_k}); {@code detail}: what is wrong and what would be valid. */
    public OptionException(String key, String detail) {
        super(key + ": " + detail);
        this.key = key;
        this.detail = detail;
    }

    /** Throws an {@code OptionException} for {@code key} unless {@code ok}. */
    public static void require(boolean ok, String key, String detail) {
        if (!ok) {
            throw new OptionException(key, detail);
        }
    }

    public String key() {
        return key;
    }

    public String detail() {
        return detail;
    }
}
