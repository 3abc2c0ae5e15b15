package dev.hkd.api;

/**
 * What a distiller needs from the data pipeline besides images and labels.
 *
 * <pre>{@code
 * DataNeeds.NOTHING                                   // KD: logits are enough
 * new DataNeeds(true, ContrastMode.EXACT, 16384)       // CRD
 * DataNeeds.NOTHING.withRotatedViews()                 // SSKD: four rotated views of every image
 * }</pre>
 *
 * @param sampleIndex whether each sample's dataset index must be passed in {@link StepBatch}
 * @param contrastMode how contrast indices are drawn, {@link ContrastMode#NONE} for none
 * @param negatives K, the number of negatives per sample (ignored for {@code NONE})
 * @param rotatedViews whether each image comes as four views rotated by 0, 90, 180 and 270 degrees
 *     counter-clockwise: the networks then see {@code 4B} rows, row {@code 4b + r} being image
 *     {@code b} rotated {@code r} times (one flip decision for the four views, a crop per view);
 *     labels stay {@code [B]} and the framework's cross-entropy uses the unrotated rows {@code 4b}
 */
public record DataNeeds(boolean sampleIndex, ContrastMode contrastMode, int negatives, boolean rotatedViews) {

    public static final DataNeeds NOTHING = new DataNeeds(false, ContrastMode.NONE, 0);

    public DataNeeds(boolean sampleIndex, ContrastMode contrastMode, int negatives) {
        this(sampleIndex, contrastMode, negatives, false);
    }

    /** These needs, with four rotated views of every image. */
    public DataNeeds withRotatedViews() {
        return new DataNeeds(sampleIndex, contrastMode, negatives, true);
    }

    public DataNeeds {
        if (contrastMode != ContrastMode.NONE && negatives <= 0) {
            throw new IllegalArgumentException("negatives must be positive for contrast mode " + contrastMode);
        }
    }

    /** Combines the needs of two distillers trained together; two different contrast modes cannot be served. */
    public DataNeeds merge(DataNeeds other) {
        if (contrastMode != ContrastMode.NONE
                && other.contrastMode != ContrastMode.NONE
                && (contrastMode != other.contrastMode || negatives != other.negatives)) {
            throw new IllegalArgumentException("methods need different contrast sampling: " + contrastMode + "/"
                    + negatives + " and " + other.contrastMode + "/" + other.negatives);
        }
        ContrastMode mode = contrastMode != ContrastMode.NONE ? contrastMode : other.contrastMode;
        int k = contrastMode != ContrastMode.NONE ? negatives : other.negatives;
        return new DataNeeds(sampleIndex || other.sampleIndex, mode, k, rotatedViews || other.rotatedViews);
    }
}
