package dev.hkd.baselines.crd;

import dev.hkd.api.Positive;
import dev.hkd.losses.contrast.BankScoring;

/**
 * CRD's options; defaults are RepDistiller's (docs/methods.md#crd).
 *
 * @param featDim embedding size d (128)
 * @param nceK negatives K (16384)
 * @param nceT temperature τ (0.07)
 * @param nceM momentum of the memory write (0.5)
 * @param mode {@code exact} (the positive is the sample itself) or {@code relax} (a random sample of its class)
 * @param bankScoring {@code auto}, {@code whole-bank} or {@code gathered}: how the banks score the
 *     sampled rows ({@link BankScoring}; the same numbers either way)
 */
public record CrdConfig(
        @Positive int featDim,
        @Positive int nceK,
        @Positive double nceT,
        double nceM,
        String mode,
        String bankScoring) {

    public static CrdConfig reference() {
        return new CrdConfig(128, 16384, 0.07, 0.5, "exact", BankScoring.AUTO.optionValue());
    }

    /** The parsed {@code bank_scoring}; an OptionException naming it when it is none of the three. */
    public BankScoring scoring() {
        return BankScoring.parse(bankScoring);
    }
}
