package dev.hkd.runner.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hkd.training.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every path built from an outside name stays inside its root. */
class ContainedPathTest {

    @TempDir
    Path dir;

    @Test
    void aSingleNameIsAChildOfTheRoot() {
        assertEquals(
                dir.resolve("fmnist_resnet-0123"), ContainedPath.child(dir, "fmnist_resnet-0123", "teacher.model"));
    }

    @Test
    void namesThatWouldLeaveTheRootOrCannotBeFilesAreOneLineNamingTheKey() {
        for (String name :
                List.of("../../../../tmp/x", "..", ".", "", "a/b", "a\\b", "/etc", "x\ny", "x".repeat(256))) {
            ConfigException e =
                    assertThrows(ConfigException.class, () -> ContainedPath.child(dir, name, "teacher.model"), name);
            assertTrue(e.getMessage().startsWith("teacher.model: "), e.getMessage());
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        }
    }

    @Test
    void insideRefusesWhatLiesOutsideTheRootEvenThroughASymbolicLink() throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        Path outside = Files.createDirectories(dir.resolve("outside"));
        assertTrue(ContainedPath.inside(root, root.resolve("a/b"), "artifact").startsWith(root.toRealPath()));
        assertThrows(ConfigException.class, () -> ContainedPath.inside(root, root.resolve("../outside"), "artifact"));
        assertThrows(ConfigException.class, () -> ContainedPath.inside(root, outside, "artifact"));
        Files.createSymbolicLink(root.resolve("link"), outside);
        assertThrows(ConfigException.class, () -> ContainedPath.inside(root, root.resolve("link/run"), "artifact"));
    }
}
