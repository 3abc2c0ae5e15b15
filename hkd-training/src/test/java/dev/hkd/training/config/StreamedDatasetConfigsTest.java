package dev.hkd.training.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hkd.training.models.ModelZoo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The shipped ImageNet and Tiny-ImageNet configs load and validate. The Tiny-ImageNet ones name
 * models of the zoo; the ImageNet ones name torchvision's ResNets and mdistiller's MobileNetV1,
 * which the zoo's ImageNet models provide (checked by the runner's config tests once they exist).
 */
class StreamedDatasetConfigsTest {

    private static List<Path> configs(String folder) throws IOException {
        Path root = Path.of("")
                .toAbsolutePath()
                .getParent()
                .resolve("reproducibility")
                .resolve(folder);
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    @Test
    void imageNetConfigsLoadWithMdistillersRecipe() throws IOException {
        List<Path> files = configs("imagenet");
        assertEquals(14, files.size(), "two pairs × kd, at, crd, reviewkd, dkd, dist, hkd");
        for (Path f : files) {
            RunConfig c = ConfigLoader.loadRun(f);
            assertEquals("imagenet", c.data().dataset(), f.toString());
            assertEquals(224, c.data().imageSize());
            assertEquals("random-resized-crop", c.data().augment());
            assertEquals(100, c.training().schedule().epochs(), f.toString());
            assertEquals(1e-4, c.training().optimizer().weightDecay(), f.toString());
            assertTrue(List.of(256, 512).contains(c.training().batchSize()), f.toString());
        }
    }

    @Test
    void tinyImageNetConfigsLoadAndNameModelsOfTheZoo() throws IOException {
        List<Path> files = configs("tiny-imagenet");
        assertFalse(files.isEmpty());
        for (Path f : files) {
            RunConfig c = ConfigLoader.loadRun(f);
            assertEquals("tiny-imagenet", c.data().dataset(), f.toString());
            assertEquals(64, c.data().imageSize());
            assertEquals("crop-flip", c.data().augment());
            assertTrue(
                    ModelZoo.names().contains(c.student().model()),
                    f + ": " + c.student().model());
            if (c.teacher() != null) {
                assertTrue(
                        ModelZoo.names().contains(c.teacher().model()),
                        f + ": " + c.teacher().model());
            }
        }
    }
}
