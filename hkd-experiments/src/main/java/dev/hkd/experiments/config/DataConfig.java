package dev.hkd.experiments.config;

import java.util.Set;

/**
 * The dataset. {@code fashion-mnist} reads the IDX files from {@code dir}, {@code --data-dir},
 * {@code $HKD_DATA_DIR} or {@code /usr/share/datasets/fashion-mnist}; {@code fashion-mnist-subset}
 * is the embedded 8 000/2 000 subset. {@code train_limit} keeps the first N training samples.
 */
public record DataConfig(String dataset, String dir, String augment, Integer trainLimit) {

    public static final Set<String> DATASETS = Set.of("fashion-mnist", "fashion-mnist-subset");
    public static final Set<String> AUGMENTATIONS = Set.of("none", "crop-flip");

    public DataConfig {
        dataset = dataset == null ? "fashion-mnist-subset" : dataset;
        augment = augment == null ? "none" : augment;
        trainLimit = trainLimit == null ? 0 : trainLimit;
        Check.that(DATASETS.contains(dataset), "dataset", "unknown '" + dataset + "'; valid: " + String.join(", ", DATASETS));
        Check.that(AUGMENTATIONS.contains(augment), "augment",
                "unknown '" + augment + "'; valid: " + String.join(", ", AUGMENTATIONS));
        Check.that(trainLimit >= 0, "train_limit", "must be >= 0, got " + trainLimit);
    }
}
