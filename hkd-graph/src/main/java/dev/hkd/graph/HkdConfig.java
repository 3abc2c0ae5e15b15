package dev.hkd.graph;

import dev.hkd.api.OptionException;
import dev.hkd.losses.contrast.BankScoring;

/**
 * HKD's options; defaults are the reference's (docs/methods.md#hkd).
 *
 * @param featDim d, the embedding size (128)
 * @param nceK K, negatives per sample (16384)
 * @param knn k of the kNN graph, self included (8)
 * @param hops TAGConv hops (1)
 * @param gnn {@code tag} (reference) or {@code gcn}
 * @param graphSource {@code logits} (softmax of the logits, reference) or {@code features} (pooled features)
 * @param temperature τ (0.07)
 * @param memoryMomentum momentum of the memory write (0.9)
 * @param smoothMomentum weight of the memory row in the smoothed graph positive (0.75)
 * @param negatives {@code reference}: each anchor's negatives from its own network's bank (D4);
 *     {@code cross}: from the other network's bank, as CRD does
 * @param bankScoring {@code auto}, {@code whole-bank} or {@code gathered}: how the banks score the
 *     sampled rows ({@link BankScoring}; the same numbers either way)
 */
public record HkdConfig(
        int featDim,
        int nceK,
        int knn,
        int hops,
        String gnn,
        String graphSource,
        double temperature,
        double memoryMomentum,
        double smoothMomentum,
        String negatives,
        String bankScoring) {

    public static HkdConfig reference() {
        return new HkdConfig(
                128, 16384, 8, 1, "tag", "logits", 0.07, 0.9, 0.75, "reference", BankScoring.AUTO.optionValue());
    }

    /** The parsed {@code bank_scoring}; an OptionException naming it when it is none of the three. */
    public BankScoring scoring() {
        return BankScoring.parse(bankScoring);
    }

    /** Throws an IllegalArgumentException whose message starts with the offending key. */
    public void validate() {
        require(featDim > 0, "feat_dim", "must be > 0, got " + featDim);
        require(nceK > 0, "nce_k", "must be > 0, got " + nceK);
        require(knn >= 1, "knn", "must be >= 1, got " + knn);
        require(hops >= 1, "hops", "must be >= 1, got " + hops);
        GnnType.parse(gnn);
        require(
                graphSource.equals("logits") || graphSource.equals("features"),
                "graph_source",
                "unknown '" + graphSource + "'; valid: logits, features");
        require(temperature > 0, "temperature", "must be > 0, got " + temperature);
        require(
                memoryMomentum >= 0 && memoryMomentum < 1,
                "memory_momentum",
                "must be in [0, 1), got " + memoryMomentum);
        require(
                smoothMomentum >= 0 && smoothMomentum <= 1,
                "smooth_momentum",
                "must be in [0, 1], got " + smoothMomentum);
        require(
                negatives.equals("reference") || negatives.equals("cross"),
                "negatives",
                "unknown '" + negatives + "'; valid: reference, cross");
        scoring();
    }

    private static void require(boolean ok, String key, String message) {
        if (!ok) {
            throw new OptionException(key, message);
        }
    }
}
