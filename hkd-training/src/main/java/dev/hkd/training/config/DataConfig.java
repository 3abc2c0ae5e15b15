package dev.hkd.training.config;

import java.util.Set;

/**
 * The dataset. {@code fashion-mnist} reads the IDX files from {@code dir}, {@code --data-dir},
 * {@code $HKD_DATA_DIR} or {@code /usr/share/datasets/fashion-mnist}; {@code fashion-mnist-subset}
 * is the embedded 8 000/2 000 subset; {@code cifar10}/{@code cifar100} read the binary version
 * and {@code image-folder} a folder of class sub-folders ({@code train/} and {@code val/} under
 * {@code dir}, resized to {@code image_size} and held in memory), all from {@code dir} or
 * {@code --data-dir}. {@code imagenet} (ILSVRC-2012's {@code train/<wnid>/}, {@code val/<wnid>/})
 * and {@code tiny-imagenet} (Tiny-ImageNet-200) are streamed: decoded while training runs by
 * {@code workers} threads (docs/data.md).
 * {@code crop-flip} pads by 4 pixels (2 for 28×28 Fashion-MNIST), random-crops and flips;
 * {@code random-resized-crop} (ImageNet's default) is torchvision's RandomResizedCrop and flip.
 * {@code normalization} {@code cifar10} uses CIFAR-10 statistics on CIFAR-100, as ReviewKD does;
 * {@code sskd} SSKD's CIFAR-100 constants (0.5071, 0.4866, 0.4409), which differ from RepDistiller's
 * in the fourth digit.
 * {@code train_limit} keeps the first N training samples. {@code image_size}: 224 by default, 64
 * for Tiny-ImageNet. {@code skip_unreadable}: replace an unreadable image by the next readable one
 * and count it, instead of stopping. {@code reduced_decode}: decode a JPEG at 1/2, 1/4 or 1/8 size
 * where its crop is shrunk at least that much (docs/data.md#decoding).
 * The streamed-only keys stay unset (null) for the other datasets, so their runs' identities are unchanged.
 */
public record DataConfig(
        String dataset,
        String dir,
        String augment,
        Integer trainLimit,
        String normalization,
        Integer imageSize,
        Integer workers,
        Boolean skipUnreadable,
        Boolean reducedDecode) {

    public static final Set<String> DATASETS = Set.of(
            "fashion-mnist",
            "fashion-mnist-subset",
            "cifar10",
            "cifar100",
            "image-folder",
            "imagenet",
            "tiny-imagenet");
    /** The datasets read from their files while training runs. */
    public static final Set<String> STREAMED = Set.of("imagenet", "tiny-imagenet");

    public static final Set<String> AUGMENTATIONS = Set.of("none", "crop-flip", "random-resized-crop");
    public static final Set<String> NORMALIZATIONS = Set.of("dataset", "cifar10", "sskd", "cifar100");
    /** The largest {@code image_size}: a 2048² float batch of 64 is 3 GB already. */
    public static final int MAX_IMAGE_SIZE = 2048;
    /** The default number of decode threads. */
    public static final int DEFAULT_WORKERS = 2;

    public static final int MAX_WORKERS = 64;

    public DataConfig(String dataset, String dir, String augment, Integer trainLimit) {
        this(dataset, dir, augment, trainLimit, null, null, null, null, null);
    }

    public DataConfig(
            String dataset, String dir, String augment, Integer trainLimit, String normalization, Integer imageSize) {
        this(dataset, dir, augment, trainLimit, normalization, imageSize, null, null, null);
    }

    public DataConfig {
        dataset = dataset == null ? "fashion-mnist-subset" : dataset;
        Check.that(
                DATASETS.contains(dataset),
                "dataset",
                "unknown '" + dataset + "'; valid: " + String.join(", ", DATASETS));
        augment = augment != null
                ? augment
                : dataset.equals("imagenet")
                        ? "random-resized-crop"
                        : dataset.equals("tiny-imagenet") ? "crop-flip" : "none";
        trainLimit = trainLimit == null ? 0 : trainLimit;
        normalization = normalization == null ? "dataset" : normalization;
        imageSize = imageSize == null ? (dataset.equals("tiny-imagenet") ? 64 : 224) : imageSize;
        Check.that(
                NORMALIZATIONS.contains(normalization),
                "normalization",
                "unknown '" + normalization + "'; valid: " + String.join(", ", NORMALIZATIONS));
        Check.between("image_size", imageSize, 1, MAX_IMAGE_SIZE);
        Check.that(
                AUGMENTATIONS.contains(augment),
                "augment",
                "unknown '" + augment + "'; valid: " + String.join(", ", AUGMENTATIONS));
        Check.that(
                !augment.equals("random-resized-crop") || dataset.equals("imagenet"),
                "augment",
                "random-resized-crop crops the decoded file, so it needs dataset imagenet; with " + dataset
                        + " use crop-flip or none");
        Check.that(trainLimit >= 0, "train_limit", "must be >= 0, got " + trainLimit);
        boolean streamed = STREAMED.contains(dataset);
        Check.that(
                workers == null || streamed,
                "workers",
                "only the streamed datasets (imagenet, tiny-imagenet) decode with" + " workers; remove it for "
                        + dataset);
        Check.that(
                skipUnreadable == null || streamed,
                "skip_unreadable",
                "only the streamed datasets (imagenet, tiny-imagenet)" + " can skip a file; remove it for " + dataset);
        Check.that(
                reducedDecode == null || streamed,
                "reduced_decode",
                "only the streamed datasets (imagenet, tiny-imagenet)" + " decode at reduced size; remove it for "
                        + dataset);
        Check.that(
                workers == null || (workers >= 1 && workers <= MAX_WORKERS),
                "workers",
                "must be in [1, " + MAX_WORKERS + "] decode threads, got " + workers);
    }

    /** Decode threads: {@code workers}, or {@link #DEFAULT_WORKERS}. */
    public int decodeWorkers() {
        return workers == null ? DEFAULT_WORKERS : workers;
    }

    /** Whether an unreadable file is skipped (counted) rather than an error. */
    public boolean skipsUnreadable() {
        return skipUnreadable != null && skipUnreadable;
    }

    /** Whether JPEGs whose crop shrinks are decoded at reduced size. */
    public boolean decodesReduced() {
        return reducedDecode != null && reducedDecode;
    }
}
