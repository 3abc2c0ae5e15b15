package dev.hkd.baselines.reviewkd;

import dev.hkd.api.AbstractDistillerProvider;
import dev.hkd.api.Distiller;
import dev.hkd.api.NonNegative;
import dev.hkd.api.Positive;

/**
 * {@code reviewkd}: knowledge review with ABF fusion and the hierarchical context loss (CVPR 2021);
 * β = 5 (ReviewKD's weight for resnet32x4 → resnet8x4), warm-up over 20 epochs, teacher
 * BatchNorm on batch statistics as ReviewKD's CIFAR code leaves it.
 */
public final class ReviewKdProvider extends AbstractDistillerProvider<ReviewKdProvider.Config> {

    /**
     * @param warmupEpochs the loss weight ramps as {@code min(1, epoch/warmup_epochs)} from 0 in epoch 0 (20)
     * @param maxMidChannels cap of the ABF's middle width, {@code min(cap, channels of the deepest student level)} (512)
     * @param teacherBatchnorm {@code train} (batch statistics, CIFAR reference, D13) or {@code eval}
     */
    public record Config(
            @NonNegative int warmupEpochs, @Positive int maxMidChannels, String teacherBatchnorm) {}

    public ReviewKdProvider() {
        super(
                "reviewkd",
                "ReviewKD: attention-based fusion of student stages + hierarchical context loss (CVPR 2021)",
                new Config(20, 512, "train"),
                5.0);
    }

    @Override
    public void validate(Config c) {
        require(
                c.teacherBatchnorm().equals("train") || c.teacherBatchnorm().equals("eval"),
                "teacher_batchnorm",
                "unknown '" + c.teacherBatchnorm() + "'; valid: train, eval");
    }

    @Override
    public Distiller create(Config config) {
        validate(config);
        return new ReviewKdDistiller(config);
    }
}
