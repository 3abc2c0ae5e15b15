package dev.hkd.losses.contrast;

import dev.hkd.api.OptionException;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * How a {@link MemoryBank} scores anchors against their sampled rows: the option
 * {@code bank_scoring} of CRD and HKD (docs/methods.md#bank-scoring). Both formulations are exact
 * and give the same scores and gradients up to the summation order of a dot product.
 *
 * <pre>{@code
 * BankScoring how = BankScoring.parse("auto");                       // from method.options.crd.bank_scoring
 * NDList scores = bank.scores(new NDList(anchors), indices, how);    // auto picks by BankScoringCost
 * }</pre>
 */
public enum BankScoring {
    /** The cheaper of the two for the step's B, K, N and d, by {@link BankScoringCost}. */
    AUTO("auto"),
    /** One {@code B × d · d × N} product with the whole bank, then the sampled columns picked. */
    WHOLE_BANK("whole-bank"),
    /** The sampled rows gathered ({@code B × (K+1) × d}) and each anchor scored against its own. */
    GATHERED("gathered");

    private final String optionValue;

    BankScoring(String optionValue) {
        this.optionValue = optionValue;
    }

    /** The value as written in a config: {@code auto}, {@code whole-bank}, {@code gathered}. */
    public String optionValue() {
        return optionValue;
    }

    /** The formulation named {@code value}; an {@link OptionException} on {@code bank_scoring} otherwise. */
    public static BankScoring parse(String value) {
        for (BankScoring s : values()) {
            if (s.optionValue.equals(value)) {
                return s;
            }
        }
        throw new OptionException(
                "bank_scoring",
                "unknown '" + value + "'; valid: "
                        + Arrays.stream(values()).map(BankScoring::optionValue).collect(Collectors.joining(", ")));
    }

    /**
     * The formulation to run for {@code anchorSets} anchor sets of {@code batch} rows, each scored
     * against {@code columns} rows of an {@code size × dim} bank of {@code bytesPerValue}-byte
     * values: this one, or for {@link #AUTO} the one {@link BankScoringCost#prefersGathered}
     * picks.
     */
    public BankScoring resolve(long batch, long columns, long size, long dim, int anchorSets, int bytesPerValue) {
        if (this != AUTO) {
            return this;
        }
        return BankScoringCost.prefersGathered(batch, columns, size, dim, anchorSets, bytesPerValue)
                ? GATHERED
                : WHOLE_BANK;
    }
}
