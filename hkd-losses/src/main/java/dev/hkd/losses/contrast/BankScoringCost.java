package dev.hkd.losses.contrast;

/**
 * The cost model behind {@link BankScoring#AUTO}: arithmetic and memory traffic of scoring
 * {@code a} anchor sets of B rows against {@code c} sampled rows each of an {@code N × d} bank,
 * forward and backward, with values of {@code s} bytes (docs/methods.md#bank-scoring).
 *
 * <ul>
 *   <li>Whole bank, per anchor set: the product {@code 2BNd} flops forward and again backward
 *       (the gradient scattered into a dense {@code B × N} matrix, times the bank); traffic: the
 *       bank read twice, the {@code B × N} scores written, the zeroed gradient written and read,
 *       the picked columns: {@code s·(2Nd + 3BN + 3Bc)}. The {@code B × N} scores stay held until
 *       backward.</li>
 *   <li>Gathered, per bank (its anchor sets share one gather): {@code 4aBcd} flops; traffic: the
 *       {@code B × c × d} rows read from the bank and written, then read by the product forward
 *       and by its gradient backward: {@code s·(4Bcd + 2aBc)}. The gathered rows stay held until
 *       backward.</li>
 * </ul>
 *
 * <p>Time is {@code flops / F + bytes / W}. F and W are what the 2-core CPU machine class of
 * reproducibility/benchmarks.md sustains on these kernels (the product and the row gather);
 * only their ratio decides where the two cross.
 *
 * <p>The two formulations round differently in the last bits (a dot product summed in another
 * order), and every result recorded so far was computed whole-bank. So {@code auto} gathers only
 * when that is estimated to save at least {@link #SWITCH_SAVING_SECONDS} per bank and step:
 * never at CIFAR's or Fashion-MNIST's sizes nor at the parity cases', always at ImageNet's.
 *
 * @param flops floating-point operations, forward and backward
 * @param bytes memory traffic, forward and backward
 * @param heldBytes what stays allocated from the forward pass until backward
 */
public record BankScoringCost(double flops, double bytes, double heldBytes) {

    /** Sustained dense-product rate, flop/s (measured: about 140 GFLOP/s, benchmarks.md). */
    static final double FLOPS_PER_SECOND = 140e9;
    /** Sustained traffic of the gather, the scatter and the streams over them, byte/s. */
    static final double BYTES_PER_SECOND = 10e9;

    /** The least estimated saving, per bank and step, for which {@code auto} gathers (1 ms). */
    static final double SWITCH_SAVING_SECONDS = 1e-3;

    /** Whether {@code auto} gathers: the gathered formulation saves at least {@link #SWITCH_SAVING_SECONDS}. */
    public static boolean prefersGathered(
            long batch, long columns, long size, long dim, int anchorSets, int bytesPerValue) {
        double whole =
                wholeBank(batch, columns, size, dim, anchorSets, bytesPerValue).seconds();
        double gathered =
                gathered(batch, columns, size, dim, anchorSets, bytesPerValue).seconds();
        return whole - gathered >= SWITCH_SAVING_SECONDS;
    }

    /** Estimated seconds on the reference machine class. */
    public double seconds() {
        return flops / FLOPS_PER_SECOND + bytes / BYTES_PER_SECOND;
    }

    public static BankScoringCost wholeBank(
            long batch, long columns, long size, long dim, int anchorSets, int bytesPerValue) {
        double b = batch;
        double c = columns;
        double n = size;
        double d = dim;
        double s = bytesPerValue;
        return new BankScoringCost(
                anchorSets * 4 * b * n * d,
                anchorSets * s * (2 * n * d + 3 * b * n + 3 * b * c),
                anchorSets * s * b * n);
    }

    public static BankScoringCost gathered(
            long batch, long columns, long size, long dim, int anchorSets, int bytesPerValue) {
        double b = batch;
        double c = columns;
        double d = dim;
        double s = bytesPerValue;
        return new BankScoringCost(
                anchorSets * 4 * b * c * d, s * (4 * b * c * d + 2 * anchorSets * b * c), s * b * c * d);
    }
}
