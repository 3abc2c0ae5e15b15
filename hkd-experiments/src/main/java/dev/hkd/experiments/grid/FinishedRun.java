package dev.hkd.experiments.grid;

import java.util.List;

/**
 * What a report needs of one finished run, wherever it was read from (a run folder or MLflow).
 *
 * @param teacher the teacher's model name, "saved_model" for a SavedModel teacher, or null (a student trained alone)
 * @param testTop1ByEpoch test top-1 (%) after each epoch
 */
public record FinishedRun(String method, String teacher, String student, double lastTop1, double bestTop1,
                          List<Double> testTop1ByEpoch) {

    /** {@code resnet32x4 → resnet8x4}; "? → student" for a student trained alone. */
    public String pair() {
        return (teacher == null ? "?" : teacher) + " → " + student;
    }
}
