package dev.hkd.training.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hkd.training.config.DataConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The streamed ImageNet and Tiny-ImageNet layouts, torchvision's crop geometry, and every kind of bad input. */
class StreamedImagesTest {

    @TempDir
    Path dir;

    private static DataConfig config(String dataset, Path dir, Integer workers, Boolean skip) {
        return new DataConfig(dataset, dir.toString(), null, null, null, 64, workers, skip, null);
    }

    private static RunData load(DataConfig config) {
        return RunData.load(config, null, Map.of());
    }

    @Test
    void imageNetLayoutListsClassesSortedAndStreamsThreeChannelSamples() throws IOException {
        ImageFolderFixture.imageNet(dir, 4, 5, 2);
        RunData data = load(config("imagenet", dir, 2, null));
        assertTrue(data.train().streams());
        assertEquals(20, data.train().size());
        assertEquals(8, data.test().size());
        assertEquals(4, data.train().numClasses());
        assertEquals("(3, 64, 64)", data.train().imageShape().toString());
        assertEquals(Augmentation.NONE, data.augmentation(), "the random resized crop happens as the file is decoded");
        int[] labels = data.train().labels();
        assertEquals(0, labels[0]);
        assertEquals(3, labels[19]);
        ImageSet.Prepared p = data.test().prepare(new int[] {0, 7}, Augmentation.NONE, null, true);
        assertEquals(2 * 3 * 64 * 64, p.pixels().length);
        assertArrayEquals(new int[] {0, 7}, p.indices());
    }

    @Test
    void aGreyJpegBecomesRgbWithEqualChannels() throws IOException {
        Path grey = dir.resolve("grey.jpg");
        Files.write(grey, ImageFolderFixture.encode(".jpg", 90, 70, 2, 1, true));
        assertEquals(
                ImageHeader.Format.JPEG,
                ImageHeader.read(grey, Files.readAllBytes(grey)).format());
        byte[] out = new byte[3 * 64 * 64];
        new ImageTransform.ResizeCentreCrop(64, false).apply(grey, null, out);
        int plane = 64 * 64;
        assertArrayEquals(Arrays.copyOfRange(out, 0, plane), Arrays.copyOfRange(out, plane, 2 * plane));
        assertArrayEquals(Arrays.copyOfRange(out, 0, plane), Arrays.copyOfRange(out, 2 * plane, 3 * plane));
        assertTrue((out[100] & 0xff) > 100, "grey level of class 2 (about 140) kept, got " + (out[100] & 0xff));
    }

    @Test
    void aCmykJpegBecomesRgb() throws Exception {
        // 16×16 pure red (C 0, M 255, Y 255, K 0) saved as a CMYK JPEG by Pillow 13 (Image.new('CMYK', ...).save).
        Path cmyk = Path.of(StreamedImagesTest.class.getResource("cmyk-red.jpg").toURI());
        byte[] out = new byte[3 * 16 * 16];
        new ImageTransform.Resize(16).apply(cmyk, null, out);
        int plane = 16 * 16;
        assertTrue(
                (out[8 * 16 + 8] & 0xff) > 240
                        && (out[plane + 8 * 16 + 8] & 0xff) < 15
                        && (out[2 * plane + 8 * 16 + 8] & 0xff) < 15,
                "RGB " + (out[8 * 16 + 8] & 0xff) + ", " + (out[plane + 8 * 16 + 8] & 0xff) + ", "
                        + (out[2 * plane + 8 * 16 + 8] & 0xff));
    }

    @Test
    void colourIsRgbInChannelOrder() throws IOException {
        Path red = dir.resolve("red.jpg"); // the fixture's class 2 is red-dominant (BGR index 2)
        Files.write(red, ImageFolderFixture.encode(".jpg", 64, 64, 2, 1, false));
        byte[] out = new byte[3 * 64 * 64];
        new ImageTransform.Resize(64).apply(red, null, out);
        assertTrue((out[32 * 64 + 32] & 0xff) > (out[64 * 64 + 32 * 64 + 32] & 0xff) + 80, "R plane first");
    }

    @Test
    void theSameBatchWhateverTheNumberOfWorkersOrThreads() throws IOException {
        ImageFolderFixture.imageNet(dir, 4, 5, 2);
        int[] idx = {3, 17, 0, 9, 12, 5, 19};
        float[] reference = null;
        for (int workers : new int[] {1, 3}) {
            ImageSet train = load(config("imagenet", dir, workers, null)).train();
            for (boolean parallel : new boolean[] {false, true}) {
                float[] px = train.prepare(idx, Augmentation.NONE, new SplittableRandom(5), parallel)
                        .pixels();
                if (reference == null) {
                    reference = px;
                } else {
                    assertArrayEquals(reference, px, workers + " workers, parallel " + parallel);
                }
            }
        }
        ImageSet train = load(config("imagenet", dir, 2, null)).train();
        assertFalse(
                Arrays.equals(
                        reference,
                        train.prepare(idx, Augmentation.NONE, new SplittableRandom(6), true)
                                .pixels()),
                "another augmentation stream gives other crops");
        assertFalse(
                Arrays.equals(
                        reference,
                        train.prepare(idx, Augmentation.NONE, null, true).pixels()),
                "without a random stream the evaluation transform is used");
    }

    @Test
    void randomResizedCropStaysInsideTheImageWithTorchvisionsScaleAndRatio() {
        SplittableRandom random = new SplittableRandom(3);
        for (int t = 0; t < 2000; t++) {
            int w = 1 + random.nextInt(600);
            int h = 1 + random.nextInt(600);
            int[] c = ImageTransform.RandomResizedCrop.crop(w, h, random);
            assertTrue(
                    c[0] >= 0 && c[1] >= 0 && c[2] >= 1 && c[3] >= 1 && c[0] + c[2] <= w && c[1] + c[3] <= h,
                    Arrays.toString(c) + " in " + w + "×" + h);
        }
        for (int t = 0; t < 500; t++) {
            int[] c = ImageTransform.RandomResizedCrop.crop(500, 375, random);
            double scale = (double) c[2] * c[3] / (500 * 375);
            double ratio = (double) c[2] / c[3];
            assertTrue(scale > 0.079 && scale <= 1.0 && ratio > 0.74 && ratio < 1.34, Arrays.toString(c));
        }
        // No try fits a 1000×10 strip: the fallback is the centre crop of the widest allowed ratio, 4/3.
        assertArrayEquals(
                new int[] {(1000 - 13) / 2, 0, 13, 10}, ImageTransform.RandomResizedCrop.crop(1000, 10, random));
        assertArrayEquals(
                new int[] {0, (1000 - 13) / 2, 10, 13}, ImageTransform.RandomResizedCrop.crop(10, 1000, random));
    }

    @Test
    void evaluationResizesTheShortSideTo256Over224OfTheSizeAsTorchvision() {
        assertArrayEquals(new int[] {341, 256}, ImageTransform.ResizeCentreCrop.resized(500, 375, 224));
        assertArrayEquals(new int[] {256, 341}, ImageTransform.ResizeCentreCrop.resized(375, 500, 224));
        assertArrayEquals(new int[] {73, 73}, ImageTransform.ResizeCentreCrop.resized(64, 64, 64));
    }

    @Test
    void reducedDecodingOnlyWhereTheCropShrinksByTheFactor() throws IOException {
        ImageHeader jpeg = new ImageHeader(ImageHeader.Format.JPEG, 500, 375);
        assertEquals(4, ImageTransform.reduction(jpeg, 375, 64));
        assertEquals(1, ImageTransform.reduction(jpeg, 375, 224));
        assertEquals(2, ImageTransform.reduction(jpeg, 460, 224));
        assertEquals(1, ImageTransform.reduction(new ImageHeader(ImageHeader.Format.PNG, 500, 375), 375, 64));
        Path f = dir.resolve("big.jpg");
        Files.write(f, ImageFolderFixture.encode(".jpg", 400, 300, 0, 2, false));
        byte[] full = new byte[3 * 64 * 64];
        byte[] reduced = new byte[3 * 64 * 64];
        new ImageTransform.RandomResizedCrop(64, false).apply(f, new SplittableRandom(1), full);
        new ImageTransform.RandomResizedCrop(64, true).apply(f, new SplittableRandom(1), reduced);
        double diff = 0;
        for (int i = 0; i < full.length; i++) {
            diff += Math.abs((full[i] & 0xff) - (reduced[i] & 0xff));
        }
        assertTrue(diff / full.length < 12, "same crop, near pixels: mean |difference| " + diff / full.length);
    }

    @Test
    void tinyImageNetLabelsValByItsAnnotationsAndClassesFromWnids() throws IOException {
        ImageFolderFixture.tinyImageNet(dir, 3, 4, 2);
        RunData data = load(config("tiny-imagenet", dir, null, null));
        assertEquals(12, data.train().size());
        assertEquals(6, data.test().size());
        assertEquals(3, data.train().numClasses());
        assertTrue(data.augmentation() instanceof CropFlip, "the CIFAR recipe by default");
        // val_k is class k mod 3; files are listed by name (val_0, val_1, …, val_5).
        assertArrayEquals(new int[] {0, 1, 2, 0, 1, 2}, data.test().labels());
        assertEquals(64, new DataConfig("tiny-imagenet", "x", null, null).imageSize());
        assertEquals(224, new DataConfig("imagenet", "x", null, null).imageSize());
    }

    // ---- bad input: one line naming the file, or skipped and counted ----

    private static void assertOneLineNaming(DataException e, String name) {
        assertTrue(e.getMessage().contains(name), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    private DataException readingAllFails(ImageSet set) {
        int[] all = new int[set.size()];
        Arrays.setAll(all, i -> i);
        return assertThrows(
                DataException.class, () -> set.prepare(all, Augmentation.NONE, new SplittableRandom(1), true));
    }

    @Test
    void zeroByteTruncatedAndNonImageFilesAreOneLineNamingTheFile() throws IOException {
        List<Path> files = ImageFolderFixture.imageNet(dir, 2, 3, 1);
        Path victim = files.get(1);
        byte[] good = Files.readAllBytes(victim);
        Files.write(victim, new byte[0]);
        assertOneLineNaming(
                readingAllFails(load(config("imagenet", dir, 2, null)).train()), victim.toString());
        Files.write(victim, Arrays.copyOf(good, good.length * 2 / 3));
        DataException truncated =
                readingAllFails(load(config("imagenet", dir, 2, null)).train());
        assertOneLineNaming(truncated, victim.toString());
        assertTrue(truncated.getMessage().contains("truncated"), truncated.getMessage());
        Files.writeString(victim, "this is a text file named .JPEG\n");
        DataException text =
                readingAllFails(load(config("imagenet", dir, 2, null)).train());
        assertTrue(text.getMessage().contains("not an image"), text.getMessage());
    }

    @Test
    void skipUnreadableReplacesTheFileByTheNextReadableOneAndCountsIt() throws IOException {
        List<Path> files = ImageFolderFixture.imageNet(dir, 2, 3, 1);
        Files.write(files.get(1), new byte[0]);
        ImageSet train = load(config("imagenet", dir, 2, true)).train();
        ImageSet.Prepared p = train.prepare(new int[] {0, 1, 2, 1}, Augmentation.NONE, null, true);
        assertArrayEquals(new int[] {0, 2, 2, 2}, p.indices(), "sample 1 shows the next readable file, 2");
        assertEquals(1, train.skippedFiles());
        train.prepare(new int[] {1}, Augmentation.NONE, null, false);
        assertEquals(1, train.skippedFiles(), "a file is counted once");
    }

    @Test
    void aHeaderPromisingAHugeImageIsRefusedBeforeDecoding() throws IOException {
        // A valid PNG signature and IHDR claiming 100 000 × 100 000 pixels (30 GB decoded), in 60 bytes.
        byte[] bomb = new byte[60];
        byte[] sig = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
        System.arraycopy(sig, 0, bomb, 0, sig.length);
        int n = 100_000;
        bomb[16] = (byte) (n >> 24);
        bomb[17] = (byte) (n >> 16);
        bomb[18] = (byte) (n >> 8);
        bomb[19] = (byte) n;
        System.arraycopy(bomb, 16, bomb, 20, 4);
        byte[] iend = {0, 0, 0, 0, 'I', 'E', 'N', 'D', (byte) 0xAE, 0x42, 0x60, (byte) 0x82};
        System.arraycopy(iend, 0, bomb, bomb.length - iend.length, iend.length);
        Path f = dir.resolve("bomb.png");
        DataException e = assertThrows(DataException.class, () -> ImageHeader.read(f, bomb));
        assertOneLineNaming(e, "bomb.png");
        assertTrue(e.getMessage().contains("100000×100000"), e.getMessage());
    }

    @Test
    void imageFolderRefusesDifferentClassesAnEmptyClassAndATruncatedPng() throws IOException {
        for (String split : new String[] {"train", "val"}) {
            for (String cls : new String[] {"cat", "dog"}) {
                Path d = Files.createDirectories(dir.resolve(split).resolve(cls));
                Files.write(
                        d.resolve("a.png"),
                        ImageFolderFixture.encode(".png", 40, 30, cls.equals("cat") ? 0 : 1, 1, false));
            }
        }
        assertEquals(2, ImageFolder.load(dir, 32)[1].size());
        Path png = dir.resolve("val/dog/a.png");
        byte[] good = Files.readAllBytes(png);
        Files.write(png, Arrays.copyOf(good, good.length / 2));
        DataException truncated = assertThrows(DataException.class, () -> ImageFolder.load(dir, 32));
        assertOneLineNaming(truncated, png.toString());
        Files.write(png, good);
        Files.createDirectories(dir.resolve("val/emu"));
        DataException shifted = assertThrows(DataException.class, () -> ImageFolder.load(dir, 32));
        assertTrue(shifted.getMessage().contains("val/emu"), shifted.getMessage());
        Files.createDirectories(dir.resolve("train/emu"));
        DataException empty = assertThrows(DataException.class, () -> ImageFolder.load(dir, 32));
        assertTrue(empty.getMessage().contains("emu: class folder with no images"), empty.getMessage());
    }

    @Test
    void emptyFoldersAndUnknownWnidsAreOneLineEach() throws IOException {
        Files.createDirectories(dir.resolve("train"));
        Files.createDirectories(dir.resolve("val"));
        DataException empty = assertThrows(DataException.class, () -> load(config("imagenet", dir, null, null)));
        assertOneLineNaming(empty, dir.resolve("train").toString());
        assertTrue(empty.getMessage().contains("empty folder"), empty.getMessage());

        Path tiny = dir.resolve("tiny");
        ImageFolderFixture.tinyImageNet(tiny, 2, 2, 1);
        Path annotations = tiny.resolve("val/val_annotations.txt");
        Files.writeString(annotations, Files.readString(annotations).replace(ImageFolderFixture.wnid(1), "n99999999"));
        DataException unknown =
                assertThrows(DataException.class, () -> load(config("tiny-imagenet", tiny, null, null)));
        assertOneLineNaming(unknown, annotations + ":2");
        assertTrue(unknown.getMessage().contains("n99999999"), unknown.getMessage());

        Path tiny2 = dir.resolve("tiny2");
        ImageFolderFixture.tinyImageNet(tiny2, 2, 2, 1);
        Path images = tiny2.resolve("train").resolve(ImageFolderFixture.wnid(0)).resolve("images");
        try (var list = Files.list(images)) {
            for (Path p : list.toList()) {
                Files.delete(p);
            }
        }
        DataException noImages =
                assertThrows(DataException.class, () -> load(config("tiny-imagenet", tiny2, null, null)));
        assertOneLineNaming(noImages, images.toString());
    }

    @Test
    void theNewKeysAreValidatedInOneLine() {
        IllegalArgumentException workers = assertThrows(
                IllegalArgumentException.class,
                () -> new DataConfig("imagenet", "x", null, null, null, null, 0, null, null));
        assertTrue(workers.getMessage().startsWith("workers: must be in [1, 64]"), workers.getMessage());
        IllegalArgumentException notStreamed = assertThrows(
                IllegalArgumentException.class,
                () -> new DataConfig("cifar100", "x", null, null, null, null, 2, null, null));
        assertTrue(
                notStreamed.getMessage().startsWith("workers: only the streamed datasets"), notStreamed.getMessage());
        IllegalArgumentException size = assertThrows(
                IllegalArgumentException.class,
                () -> new DataConfig("imagenet", "x", null, null, null, 30000, null, null, null));
        assertTrue(size.getMessage().startsWith("image_size: must be in [1, 2048]"), size.getMessage());
        IllegalArgumentException rrc = assertThrows(
                IllegalArgumentException.class,
                () -> new DataConfig("tiny-imagenet", "x", "random-resized-crop", null));
        assertTrue(rrc.getMessage().startsWith("augment: random-resized-crop"), rrc.getMessage());
        assertNotEquals(new DataConfig("imagenet", "x", null, null).augment(), "none");
    }
}
