package dev.hkd.training.data;

import dev.hkd.training.config.DataConfig;
import java.nio.file.Path;
import java.util.Map;

/** The train and test sets and the augmentation a data config names. */
public record RunData(ImageSet train, ImageSet test, Augmentation augmentation) {

    /**
     * @param dataDirOverride {@code --data-dir} from the command line, or null
     */
    public static RunData load(DataConfig config, Path dataDirOverride, Map<String, String> environment) {
        ImageSet train;
        ImageSet test;
        Path explicit = dataDirOverride != null ? dataDirOverride : config.dir() == null ? null : Path.of(config.dir());
        switch (config.dataset()) {
            case "fashion-mnist-subset" -> {
                train = FashionMnist.loadEmbedded(FashionMnist.Split.TRAIN);
                test = FashionMnist.loadEmbedded(FashionMnist.Split.TEST);
            }
            case "fashion-mnist" -> {
                Path dir = FashionMnist.locate(explicit, environment);
                train = FashionMnist.load(dir, FashionMnist.Split.TRAIN);
                test = FashionMnist.load(dir, FashionMnist.Split.TEST);
            }
            case "cifar10", "cifar100" -> {
                Path dir = required(explicit, config.dataset());
                Cifar.Variant v = config.dataset().equals("cifar10") ? Cifar.Variant.CIFAR10 : Cifar.Variant.CIFAR100;
                boolean cifar10Stats = config.normalization().equals("cifar10")
                        || (config.normalization().equals("dataset") && v == Cifar.Variant.CIFAR10);
                float[] mean = cifar10Stats
                        ? Cifar.CIFAR10_MEAN
                        : config.normalization().equals("sskd") ? Cifar.SSKD_MEAN : Cifar.CIFAR100_MEAN;
                float[] std = cifar10Stats ? Cifar.CIFAR10_STD : Cifar.CIFAR100_STD;
                train = Cifar.load(dir, v, true, mean, std);
                test = Cifar.load(dir, v, false, mean, std);
            }
            case "imagenet", "tiny-imagenet" -> {
                Path dir = required(explicit, config.dataset());
                ImageSet[] sets = streamed(config, dir);
                train = sets[0];
                test = sets[1];
            }
            default -> {
                Path dir = required(explicit, config.dataset());
                ImageSet[] sets = ImageFolder.load(dir, config.imageSize());
                train = sets[0];
                test = sets[1];
            }
        }
        if (config.trainLimit() > 0) {
            train = train.head(config.trainLimit());
        }
        int pad = train.imageShape().get(1) == 28 ? 2 : 4;
        // random-resized-crop happens as the file is decoded (ImageTransform); nothing is left to do on the pixels.
        Augmentation augmentation = switch (config.augment()) {
            case "crop-flip" -> new CropFlip(pad, true);
            default -> Augmentation.NONE;
        };
        return new RunData(train, test, augmentation);
    }

    /**
     * ImageNet or Tiny-ImageNet, streamed: train and val share one pool of {@code data.workers}
     * decode threads (evaluation never overlaps training batches).
     */
    private static ImageSet[] streamed(DataConfig config, Path dir) {
        boolean imageNet = config.dataset().equals("imagenet");
        ImageFiles[] files = imageNet ? ImageFiles.imageNet(dir) : ImageFiles.tinyImageNet(dir);
        int size = config.imageSize();
        boolean reduced = config.decodesReduced();
        ImageTransform eval;
        ImageTransform train;
        if (imageNet) {
            eval = new ImageTransform.ResizeCentreCrop(size, reduced);
            train = config.augment().equals("random-resized-crop")
                    ? new ImageTransform.RandomResizedCrop(size, reduced)
                    : eval;
        } else {
            // Tiny-ImageNet's 64×64 images, resized only if image_size asks for another size; crop-flip follows in
            // ImageSet.
            eval = new ImageTransform.Resize(size);
            train = eval;
        }
        DecodePool pool = new DecodePool(config.decodeWorkers());
        boolean skip = config.skipsUnreadable();
        return new ImageSet[] {
            ImageSet.streamed(
                    new StreamedSamples(files[0], train, eval, pool, skip), ImageFolder.MEAN, ImageFolder.STD),
            ImageSet.streamed(new StreamedSamples(files[1], eval, eval, pool, skip), ImageFolder.MEAN, ImageFolder.STD)
        };
    }

    private static Path required(Path dir, String dataset) {
        if (dir == null) {
            throw new DataException(
                    "dataset " + dataset + " needs its folder: set data.dir in the config or pass --data-dir DIR");
        }
        return dir;
    }
}
