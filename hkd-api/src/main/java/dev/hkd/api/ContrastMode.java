package dev.hkd.api;

/**
 * How the data pipeline draws contrast indices for memory-bank methods (docs/methods.md#sampler).
 *
 * <pre>{@code
 * new DataNeeds(true, ContrastMode.EXACT, 16384)   // CRD: column 0 is the sample itself
 * new DataNeeds(true, ContrastMode.HKD, 16384)     // HKD: negatives only, no positive column
 * }</pre>
 */
public enum ContrastMode {
    /** No contrast indices. */
    NONE,
    /** Column 0 is the sample's own index, then K negatives of other classes. */
    EXACT,
    /** Column 0 is a random sample of the same class (maybe itself), then K negatives. */
    RELAX,
    /** K negatives of other classes only (HKD). */
    HKD;

    /** Number of columns per row of the contrast index for K negatives. */
    public int columns(int negatives) {
        return switch (this) {
            case NONE -> 0;
            case EXACT, RELAX -> negatives + 1;
            case HKD -> negatives;
        };
    }
}
