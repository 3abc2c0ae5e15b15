package dev.hkd.baselines.feature;

import ai.djl.ndarray.NDArray;
import java.util.List;

/** Which features the feature-based methods use, as RepDistiller chooses them. */
final class StageFeatures {

    private StageFeatures() {}

    /** {@code feat[1:-1]}: the stage outputs between the stem and the pooled vector. */
    static List<NDArray> intermediate(List<NDArray> features) {
        return features.subList(1, features.size() - 1);
    }

    /** {@code feat[:-1]}: every map, the stem's included (FSP). */
    static List<NDArray> maps(List<NDArray> features) {
        return features.subList(0, features.size() - 1);
    }

    /** {@code feat[-2]}: the last stage's map. */
    static NDArray lastMap(List<NDArray> features) {
        return features.get(features.size() - 2);
    }
}
