package dev.hkd.baselines.feature;

import ai.djl.ndarray.NDArray;
import java.util.List;

/** The sum of per-stage loss terms, in stage order (RepDistiller's {@code sum(loss_group)}). */
final class StageSums {

    private StageSums() {}

    static NDArray sum(List<NDArray> terms) {
        NDArray total = terms.get(0);
        for (int i = 1; i < terms.size(); i++) {
            total = total.add(terms.get(i));
        }
        return total;
    }
}
