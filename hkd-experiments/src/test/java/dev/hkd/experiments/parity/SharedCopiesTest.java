package dev.hkd.experiments.parity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Where the shared reference cases are present (developers' machines, CI), the project's copies
 * are byte for byte the same; a user's clone has only the copies.
 */
class SharedCopiesTest {

    @Test
    void everySharedCaseHasAnIdenticalCopy() throws Exception {
        assertEveryCaseCopied("losses", ReferenceParityTest.casesDir());
    }

    @Test
    void everySharedMoreBaselinesCaseHasAnIdenticalCopy() throws Exception {
        assertEveryCaseCopied("losses-more", MoreBaselinesParityTest.casesDir());
    }

    private static void assertEveryCaseCopied(String folder, Path copies) throws Exception {
        String root = System.getProperty("hkd.repo.root", "..");
        Path shared = Path.of(root).resolve("../shared/parity/" + folder);
        assumeTrue(Files.isDirectory(shared), "no ../shared here");
        List<Path> files;
        try (Stream<Path> list = Files.list(shared)) {
            files = list.filter(p -> p.toString().endsWith(".json")).toList();
        }
        for (Path f : files) {
            Path copy = copies.resolve(f.getFileName());
            assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(copy), "copy differs or is missing: " + copy);
        }
    }

    @Test
    void everySharedTrajectoryHasAnIdenticalCopy() throws Exception {
        String root = System.getProperty("hkd.repo.root", "..");
        Path shared = Path.of(root).resolve("../shared/parity/trajectories");
        assumeTrue(Files.isDirectory(shared), "no ../shared here");
        Path copies = TrajectoryParityTest.casesDir();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(shared)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        for (Path f : files) {
            Path copy = copies.resolve(shared.relativize(f).toString());
            assertTrue(Files.isRegularFile(copy), "no copy of " + f);
            assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(copy), "copy differs: " + copy);
        }
    }

    /** Every file of the ImageNet model fixtures (manifest, README, state dict, inputs and outputs) has an identical copy. */
    @Test
    void everySharedImagenetModelFileHasAnIdenticalCopy() throws Exception {
        Path shared = sharedFolder("models-imagenet");
        List<Path> files;
        try (Stream<Path> list = Files.list(shared)) {
            files = list.filter(Files::isRegularFile).toList();
        }
        assertTrue(!files.isEmpty(), "nothing shared in " + shared);
        Path copies = copies("models-imagenet");
        for (Path f : files) {
            Path copy = copies.resolve(f.getFileName().toString());
            assertTrue(Files.isRegularFile(copy), "no copy of " + f);
            assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(copy), "copy differs: " + copy);
        }
    }

    /** The CIFAR model files the project copies (the manifest and four of the six fixtures) are identical to the shared ones. */
    @Test
    void everyCopiedCifarModelFileIsIdentical() throws Exception {
        Path shared = sharedFolder("models");
        List<Path> copies;
        try (Stream<Path> list = Files.list(copies("models"))) {
            copies = list.filter(Files::isRegularFile).toList();
        }
        assertTrue(
                copies.stream().anyMatch(p -> p.getFileName().toString().equals("manifest.json")),
                "no copy of the manifest");
        for (Path copy : copies) {
            Path f = shared.resolve(copy.getFileName().toString());
            assertTrue(Files.isRegularFile(f), "a copy without a shared original: " + copy);
            assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(copy), "copy differs: " + copy);
        }
    }

    private static Path sharedFolder(String name) {
        String root = System.getProperty("hkd.repo.root", "..");
        Path shared = Path.of(root).resolve("../shared/parity").resolve(name);
        assumeTrue(Files.isDirectory(shared), "no ../shared here");
        return shared;
    }

    private static Path copies(String name) throws Exception {
        return Path.of(SharedCopiesTest.class.getResource("/parity/" + name).toURI());
    }
}
