package dev.hkd.runner.run;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The cohort a run trained in: grid cells that share one teacher pass per batch and train in one
 * process ({@code hkd run GRID --cohorts}). Recorded in {@code result.json} as {@code cohort: {id, size}},
 * and as the tags {@value #ID_TAG} and {@value #SIZE_TAG} in {@code tracking.json} and MLflow.
 *
 * @param id the same for every member, derived from what their teacher pass reads
 * @param size how many cells of the grid the cohort holds (finished or not)
 */
public record Cohort(String id, int size) {

    public static final String ID_TAG = "hkd.cohort.id";
    public static final String SIZE_TAG = "hkd.cohort.size";

    /** {@code tags} with this cohort's two tags added. */
    Map<String, String> tagged(Map<String, String> tags) {
        Map<String, String> out = new LinkedHashMap<>(tags);
        out.put(ID_TAG, id);
        out.put(SIZE_TAG, Integer.toString(size));
        return out;
    }
}
