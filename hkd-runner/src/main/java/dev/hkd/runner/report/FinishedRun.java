package dev.hkd.runner.report;

import java.util.List;
import java.util.Map;

/**
 * What a report needs of one ended run, wherever it was read from (a run folder or MLflow): a
 * finished one, or one whose training diverged (its accuracies are then NaN).
 *
 * @param teacher the teacher's model name, "saved_model" for a SavedModel teacher, or null (a student trained alone)
 * @param testTop1ByEpoch test top-1 (%) after each epoch
 * @param cost what it cost, as far as the run recorded it
 * @param trainLossByEpoch the mean train loss terms of each epoch ({@code loss}, {@code ce}, {@code <method>.<term>}), or none
 */
public record FinishedRun(
        String method,
        String teacher,
        String student,
        double lastTop1,
        double bestTop1,
        List<Double> testTop1ByEpoch,
        boolean diverged,
        Cost cost,
        List<Map<String, Double>> trainLossByEpoch) {

    /**
     * A run's cost for the report.
     *
     * @param msPerStep       median training-step time (ms); NaN when unknown
     * @param stepTimeIsMean  true when {@code msPerStep} is the mean step time from the epochs' step seconds,
     *                        for runs written before the median was recorded
     * @param extraParameters trainable parameters the method adds; −1 when not recorded
     * @param processor       the processor the run was timed on ({@code hkd.cpu}), or null when not recorded: step
     *                        times of different processors do not compare
     */
    public record Cost(double msPerStep, boolean stepTimeIsMean, long extraParameters, String processor) {

        public static final Cost UNKNOWN = new Cost(Double.NaN, false, -1, null);
    }

    public FinishedRun(
            String method,
            String teacher,
            String student,
            double lastTop1,
            double bestTop1,
            List<Double> testTop1ByEpoch) {
        this(method, teacher, student, lastTop1, bestTop1, testTop1ByEpoch, false, Cost.UNKNOWN, List.of());
    }

    /** A run whose training diverged: no accuracies, the test top-1 of the epochs it finished. */
    public static FinishedRun diverged(String method, String teacher, String student, List<Double> testTop1ByEpoch) {
        return new FinishedRun(
                method, teacher, student, Double.NaN, Double.NaN, testTop1ByEpoch, true, Cost.UNKNOWN, List.of());
    }

    /** {@code resnet32x4 → resnet8x4}; "? → student" for a student trained alone. */
    public String pair() {
        return (teacher == null ? "?" : teacher) + " → " + student;
    }
}
