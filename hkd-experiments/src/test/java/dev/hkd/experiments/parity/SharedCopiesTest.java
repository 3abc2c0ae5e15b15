package dev.hkd.experiments.parity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
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
        Path shared = sharedFolder(folder);
        List<Path> files = list(shared, p -> p.toString().endsWith(".json"));
        for (Path f : files) {
            Path copy = copies.resolve(f.getFileName());
            assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(copy), "copy differs or is missing: " + copy);
        }
    }

    @Test
    void everySharedTrajectoryHasAnIdenticalCopy() throws Exception {
        Path shared = sharedFolder("trajectories");
        Path copies = TrajectoryParityTest.casesDir();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(shared)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        for (Path f : files) {
            assertIdenticalCopy(f, copies.resolve(shared.relativize(f).toString()));
        }
    }

    /** Every file of the ImageNet model fixtures (manifest, README, state dict, inputs and outputs) has an identical copy. */
    @Test
    void everySharedImagenetModelFileHasAnIdenticalCopy() throws Exception {
        Path shared = sharedFolder("models-imagenet");
        List<Path> files = list(shared, Files::isRegularFile);
        assertTrue(!files.isEmpty(), "nothing shared in " + shared);
        Path copies = ParityResources.folder("models-imagenet", "model");
        for (Path f : files) {
            assertIdenticalCopy(f, copies.resolve(f.getFileName().toString()));
        }
    }

    /** The CIFAR model files the project copies (the manifest and four of the six fixtures) are identical to the shared ones. */
    @Test
    void everyCopiedCifarModelFileIsIdentical() throws Exception {
        Path shared = sharedFolder("models");
        List<Path> copies = list(ParityResources.folder("models", "model"), Files::isRegularFile);
        assertTrue(
                copies.stream().anyMatch(p -> p.getFileName().toString().equals("manifest.json")),
                "no copy of the manifest");
        for (Path copy : copies) {
            Path f = shared.resolve(copy.getFileName().toString());
            assertTrue(Files.isRegularFile(f), "a copy without a shared original: " + copy);
            assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(copy), "copy differs: " + copy);
        }
    }

    private static List<Path> list(Path dir, Predicate<Path> which) throws Exception {
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(which).toList();
        }
    }

    private static void assertIdenticalCopy(Path original, Path copy) throws Exception {
        assertTrue(Files.isRegularFile(copy), "no copy of " + original);
        assertArrayEquals(Files.readAllBytes(original), Files.readAllBytes(copy), "copy differs: " + copy);
    }

    private static Path sharedFolder(String name) {
        String root = System.getProperty("hkd.repo.root", "..");
        Path shared = Path.of(root).resolve("../shared/parity").resolve(name);
        assumeTrue(Files.isDirectory(shared), "no ../shared here");
        return shared;
    }
}
