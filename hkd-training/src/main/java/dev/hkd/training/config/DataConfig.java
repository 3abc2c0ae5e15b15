package dev.hkd.training.config;

import java.util.Set;

/**
 * The dataset. {@code fashion-mnist} reads the IDX files from {@code dir}, {@code --data-dir},
 * {@code $HKD_DATA_DIR} or {@code /usr/share/datasets/fashion-mnist}; {@code fashion-mnist-subset}
 * is the embedded 8 000/2 000 subset; {@code cifar10}/{@code cifar100} read the binary version
 * and {@code image-folder} a folder of class sub-folders ({@code train/} and {@code val/} under
 * {@code dir}, resized to {@code image_size}), all from {@code dir} or {@code --data-dir}.
 * {@code crop-flip} pads by 4 pixels (2 for 28×28 Fashion-MNIST), random-crops and flips.
 * {@code normalization} {@code cifar10} uses CIFAR-10 statistics on CIFAR-100, as ReviewKD does;
 * {@code sskd} SSKD's CIFAR-100 constants (0.5071, 0.4866, 0.4409), which differ from RepDistiller's
 * in the fourth digit.
 * {@code train_limit} keeps the first N training samples.
 */
public record DataConfig(String dataset, String dir, String augment, Integer trainLimit, String normalization,
                         Integer imageSize) {

    public static final Set<String> DATASETS = Set.of("fashion-mnist", "fashion-mnist-subset", "cifar10", "cifar100",
            "image-folder");
    /** The largest image side an image folder is resized to (a 30 000-pixel side would take gigabytes per image). */
    public static final int MAX_IMAGE_SIZE = 2048;
    public static final Set<String> AUGMENTATIONS = Set.of("none", "crop-flip");
    public static final Set<String> NORMALIZATIONS = Set.of("dataset", "cifar10", "sskd", "cifar100");

    public DataConfig(String dataset, String dir, String augment, Integer trainLimit) {
        this(dataset, dir, augment, trainLimit, null, null);
    }

    public DataConfig {
        dataset = dataset == null ? "fashion-mnist-subset" : dataset;
        augment = augment == null ? "none" : augment;
        trainLimit = trainLimit == null ? 0 : trainLimit;
        normalization = normalization == null ? "dataset" : normalization;
        imageSize = imageSize == null ? 224 : imageSize;
        Check.that(NORMALIZATIONS.contains(normalization), "normalization",
                "unknown '" + normalization + "'; valid: " + String.join(", ", NORMALIZATIONS));
        Check.between("image_size", imageSize, 1, MAX_IMAGE_SIZE);
        Check.that(DATASETS.contains(dataset), "dataset", "unknown '" + dataset + "'; valid: " + String.join(", ", DATASETS));
        Check.that(AUGMENTATIONS.contains(augment), "augment",
                "unknown '" + augment + "'; valid: " + String.join(", ", AUGMENTATIONS));
        Check.that(trainLimit >= 0, "train_limit", "must be >= 0, got " + trainLimit);
    }
}
