package dev.hkd.experiments.grid;

import java.util.List;

/**
 * What a report needs of one ended run, wherever it was read from (a run folder or MLflow): a
 * finished one, or one whose training diverged (its accuracies are then NaN).
 *
 * @param teacher the teacher's model name, "saved_model" for a SavedModel teacher, or null (a student trained alone)
 * @param testTop1ByEpoch test top-1 (%) after each epoch
 */
public record FinishedRun(String method, String teacher, String student, double lastTop1, double bestTop1,
                          List<Double> testTop1ByEpoch, boolean diverged) {

    public FinishedRun(String method, String teacher, String student, double lastTop1, double bestTop1, List<Double> testTop1ByEpoch) {
        this(method, teacher, student, lastTop1, bestTop1, testTop1ByEpoch, false);
    }

    /** {@code resnet32x4 → resnet8x4}; "? → student" for a student trained alone. */
    public String pair() {
        return (teacher == null ? "?" : teacher) + " → " + student;
    }
}
