package dev.hkd.runner.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hkd.training.config.ConfigException;
import dev.hkd.training.io.RunFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server names the artifact location; the user names the root it may lie in. Outside that
 * root, or at a run folder, nothing is written.
 */
class LocalArtifactRootTest {

    @TempDir
    Path dir;

    private Path run(Path folder) throws Exception {
        Files.createDirectories(folder);
        Files.writeString(folder.resolve(RunFolder.HASH), "0123456789ab\n");
        Files.writeString(folder.resolve(RunFolder.CONFIG), "mine\n");
        return folder;
    }

    @Test
    void aLocationInsideTheRootReceivesTheRecords() throws Exception {
        Path root = Files.createDirectories(dir.resolve("artifacts"));
        Path source = run(dir.resolve("runs/kd"));
        Files.writeString(source.resolve(RunFolder.RESULT), "{}");
        Path target = LocalArtifactRoot.folderInside(
                root, root.resolve("1/abc/artifacts").toUri().toString());
        LocalArtifactRoot.copy(source, List.of(RunFolder.CONFIG, RunFolder.RESULT), target);
        assertEquals("mine\n", Files.readString(target.resolve(RunFolder.CONFIG)));
        // A second sync finds its own copies there (no run marker among them) and replaces them.
        LocalArtifactRoot.copy(
                source, List.of(RunFolder.CONFIG), LocalArtifactRoot.folderInside(root, target.toString()));
    }

    @Test
    void aLocationOutsideTheRootOrAtARunFolderIsRefusedAndTheRunIsUntouched() throws Exception {
        Path root = Files.createDirectories(dir.resolve("artifacts"));
        Path victim = run(dir.resolve("runs/other"));
        Path insideVictim = run(root.resolve("store/run"));
        for (String uri : List.of(
                victim.toUri().toString(),
                victim.toString(),
                root.resolve("../runs/other").toString(),
                insideVictim.toString(),
                insideVictim.resolve("sub").toString(),
                root.resolve("store").toString(),
                root.toString(),
                "s3://bucket/x",
                "relative/path")) {
            ConfigException e =
                    assertThrows(ConfigException.class, () -> LocalArtifactRoot.folderInside(root, uri), uri);
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        }
        assertEquals("mine\n", Files.readString(victim.resolve(RunFolder.CONFIG)));
        Path link = Files.createSymbolicLink(root.resolve("link"), dir.resolve("runs"));
        assertThrows(
                ConfigException.class,
                () -> LocalArtifactRoot.folderInside(root, link.resolve("x").toString()));
        assertTrue(Files.isDirectory(victim));
    }
}
