package dev.hkd.training.train;

import dev.hkd.training.models.FeatureNetwork;

/**
 * The student that SGD trains and the frozen teacher it learns from; {@code teacher} is null for a
 * method that needs none (vanilla, Tf-KD-reg).
 *
 * <pre>{@code
 * Networks networks = new Networks(Models.create("resnet8x4", 100), teacher.network());
 * }</pre>
 */
public record Networks(FeatureNetwork student, FeatureNetwork teacher) {

    public Networks {
        if (student == null) {
            throw new IllegalArgumentException("a run needs a student network");
        }
    }
}
