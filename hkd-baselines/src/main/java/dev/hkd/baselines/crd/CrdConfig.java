package dev.hkd.baselines.crd;

/**
 * CRD's options; defaults are RepDistiller's (docs/methods.md#crd).
 *
 * @param featDim embedding size d (128)
 * @param nceK negatives K (16384)
 * @param nceT temperature τ (0.07)
 * @param nceM momentum of the memory write (0.5)
 * @param mode {@code exact} (the positive is the sample itself) or {@code relax} (a random sample of its class)
 */
public record CrdConfig(int featDim, int nceK, double nceT, double nceM, String mode) {

    public static CrdConfig reference() {
        return new CrdConfig(128, 16384, 0.07, 0.5, "exact");
    }
}
