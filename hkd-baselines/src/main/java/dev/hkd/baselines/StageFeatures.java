package dev.hkd.baselines;

import java.util.List;

/**
 * Which features the feature-based methods use, as RepDistiller chooses them: the same slices of
 * the feature maps in a step and of their shapes in {@code prepare}.
 */
public final class StageFeatures {

    private StageFeatures() {}

    /** {@code feat[1:-1]}: the stage outputs between the stem and the pooled vector. */
    public static <T> List<T> intermediate(List<T> features) {
        return features.subList(1, features.size() - 1);
    }

    /** {@code feat[:-1]}: every map, the stem's included (FSP). */
    public static <T> List<T> maps(List<T> features) {
        return features.subList(0, features.size() - 1);
    }

    /** {@code feat[-2]}: the last stage's map. */
    public static <T> T lastMap(List<T> features) {
        return features.get(features.size() - 2);
    }
}
