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
}
