package dev.hkd.api;

/**
 * What a distiller needs from the data pipeline besides images and labels.
 *
 * <pre>{@code
 * DataNeeds.NOTHING                                   // KD: logits are enough
 * new DataNeeds(true, ContrastMode.EXACT, 16384)       // CRD
 * }</pre>
 *
 * @param sampleIndex whether each sample's dataset index must be passed in {@link StepBatch}
 * @param contrastMode how contrast indices are drawn, {@link ContrastMode#NONE} for none
 * @param negatives K, the number of negatives per sample (ignored for {@code NONE})
 */
public record DataNeeds(boolean sampleIndex, ContrastMode contrastMode, int negatives) {

    public static final DataNeeds NOTHING = new DataNeeds(false, ContrastMode.NONE, 0);

    public DataNeeds {
        if (contrastMode != ContrastMode.NONE && negatives <= 0) {
            throw new IllegalArgumentException("negatives must be positive for contrast mode " + contrastMode);
        }
    }

    /** Combines the needs of two distillers trained together; two different contrast modes cannot be served. */
    public DataNeeds merge(DataNeeds other) {
        if (contrastMode != ContrastMode.NONE && other.contrastMode != ContrastMode.NONE
                && (contrastMode != other.contrastMode || negatives != other.negatives)) {
            throw new IllegalArgumentException("methods need different contrast sampling: "
                    + contrastMode + "/" + negatives + " and " + other.contrastMode + "/" + other.negatives);
        }
        ContrastMode mode = contrastMode != ContrastMode.NONE ? contrastMode : other.contrastMode;
        int k = contrastMode != ContrastMode.NONE ? negatives : other.negatives;
        return new DataNeeds(sampleIndex || other.sampleIndex, mode, k);
    }
}
