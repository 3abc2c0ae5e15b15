package dev.hkd.experiments.run;

import dev.hkd.experiments.config.DataConfig;
import dev.hkd.experiments.data.Augmentation;
import dev.hkd.experiments.data.CropFlip;
import dev.hkd.experiments.data.FashionMnist;
import dev.hkd.experiments.data.ImageSet;
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
        if (config.dataset().equals("fashion-mnist-subset")) {
            train = FashionMnist.loadEmbedded(FashionMnist.Split.TRAIN);
            test = FashionMnist.loadEmbedded(FashionMnist.Split.TEST);
        } else {
            Path explicit = dataDirOverride != null ? dataDirOverride : config.dir() == null ? null : Path.of(config.dir());
            Path dir = FashionMnist.locate(explicit, environment);
            train = FashionMnist.load(dir, FashionMnist.Split.TRAIN);
            test = FashionMnist.load(dir, FashionMnist.Split.TEST);
        }
        if (config.trainLimit() > 0) {
            train = train.head(config.trainLimit());
        }
        Augmentation augmentation = switch (config.augment()) {
            case "crop-flip" -> new CropFlip(2, true);
            default -> Augmentation.NONE;
        };
        return new RunData(train, test, augmentation);
    }
}
