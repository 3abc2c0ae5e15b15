package dev.hkd.training.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hkd.training.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The output-folder guard: a run writes only into a new or empty folder, or into its own run
 * folder (marker {@code config.hash} and matching identity); everything else is refused in one line
 * before a file changes.
 */
class RunFolderTest {

    private static final RunFolder.Identity ID = new RunFolder.Identity("0123456789ab", "fedcba9876543210");
    private static final String YAML = "seed: 1\n";

    @TempDir
    Path dir;

    private static Map<String, byte[]> contents(Path folder) throws Exception {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(folder)) {
            for (Path p : list.toList()) {
                files.put(p.getFileName().toString(), Files.readAllBytes(p));
            }
        }
        return files;
    }

    private static void assertUnchanged(Map<String, byte[]> before, Path folder) throws Exception {
        Map<String, byte[]> after = contents(folder);
        assertEquals(before.keySet(), after.keySet());
        before.forEach((name, bytes) -> assertArrayEquals(bytes, after.get(name), name + " changed"));
    }

    private static void assertOneLine(ConfigException e, String... parts) {
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), e.getMessage());
        }
    }

    @Test
    void aNewOrEmptyFolderBecomesTheRunsWithItsIdentityFiles() throws Exception {
        RunFolder fresh = new RunFolder(dir.resolve("new"));
        assertEquals(RunFolder.Status.NEW, fresh.check(ID));
        Files.createDirectories(fresh.dir());
        assertEquals(RunFolder.Status.NEW, fresh.adopt(ID, YAML));
        assertEquals(ID.configHash(), Files.readString(fresh.hash()).strip());
        assertEquals(
                ID.dataFingerprint(), Files.readString(fresh.dataFingerprint()).strip());
        assertEquals(YAML, Files.readString(fresh.config()));
        assertEquals(RunFolder.Status.RESUMABLE, fresh.check(ID));
        Files.writeString(fresh.result(), "{}");
        assertEquals(RunFolder.Status.FINISHED, fresh.check(ID));
    }

    @Test
    void aFolderThatIsNotARunIsRefusedAndLeftAsItWas() throws Exception {
        Path foreign = Files.createDirectories(dir.resolve("mine"));
        Files.writeString(foreign.resolve("config.yaml"), "mine\n");
        Files.writeString(foreign.resolve("best.safetensors"), "w\n");
        Map<String, byte[]> before = contents(foreign);
        ConfigException e = assertThrows(ConfigException.class, () -> new RunFolder(foreign).adopt(ID, YAML));
        assertOneLine(e, foreign.toString(), "no run of ours");
        assertUnchanged(before, foreign);
        // Any other file too: a folder of notes is no run folder either.
        Files.writeString(foreign.resolve("notes.txt"), "x");
        assertThrows(ConfigException.class, () -> new RunFolder(foreign).check(ID));
    }

    @Test
    void anotherConfigurationOrOtherDataIsRefused() throws Exception {
        RunFolder run = new RunFolder(Files.createDirectories(dir.resolve("run")));
        run.adopt(ID, YAML);
        Map<String, byte[]> before = contents(run.dir());
        assertOneLine(
                assertThrows(
                        ConfigException.class,
                        () -> run.adopt(new RunFolder.Identity("aaaaaaaaaaaa", ID.dataFingerprint()), YAML)),
                "another configuration",
                "aaaaaaaaaaaa",
                ID.configHash());
        assertOneLine(
                assertThrows(
                        ConfigException.class,
                        () -> run.adopt(new RunFolder.Identity(ID.configHash(), "0000000000000000"), YAML)),
                "other data",
                "0000000000000000",
                ID.dataFingerprint());
        assertUnchanged(before, run.dir());
    }

    @Test
    void aFolderMissingItsIdentityFilesIsRefusedNotRepaired() throws Exception {
        RunFolder finishedWithoutHash = new RunFolder(Files.createDirectories(dir.resolve("a")));
        Files.writeString(finishedWithoutHash.result(), "{\"lastTop1\": 90}");
        assertOneLine(
                assertThrows(ConfigException.class, () -> finishedWithoutHash.check(ID)),
                "result.json",
                "no config.hash");

        RunFolder unfinishedWithoutData = new RunFolder(Files.createDirectories(dir.resolve("b")));
        Files.writeString(unfinishedWithoutData.hash(), ID.configHash() + "\n");
        Files.writeString(unfinishedWithoutData.metrics(), "");
        Map<String, byte[]> before = contents(unfinishedWithoutData.dir());
        assertOneLine(
                assertThrows(ConfigException.class, () -> unfinishedWithoutData.adopt(ID, YAML)),
                "no data.fingerprint");
        assertUnchanged(before, unfinishedWithoutData.dir());

        RunFolder damaged = new RunFolder(Files.createDirectories(dir.resolve("c")));
        Files.writeString(damaged.hash(), "not a hash\n");
        assertOneLine(assertThrows(ConfigException.class, () -> damaged.check(ID)), "damaged config.hash");
    }

    @Test
    void aFinishedRunFromBeforeDataFingerprintsAnswersWithTheFingerprintItsResultRecords() throws Exception {
        RunFolder old = new RunFolder(Files.createDirectories(dir.resolve("old")));
        Files.writeString(old.hash(), ID.configHash() + "\n");
        Files.writeString(old.result(), "{\"dataFingerprint\": \"" + ID.dataFingerprint() + "\"}");
        assertEquals(RunFolder.Status.FINISHED, old.check(ID));
        assertThrows(
                ConfigException.class, () -> old.check(new RunFolder.Identity(ID.configHash(), "1111111111111111")));
        assertFalse(Files.exists(old.dataFingerprint()), "a check writes nothing");
    }

    @Test
    void anAdoptionInterruptedBeforeTheMarkerIsTakenUpForTheSameData() throws Exception {
        RunFolder run = new RunFolder(Files.createDirectories(dir.resolve("run")));
        Files.writeString(run.dir().resolve(RunFolder.CLAIM), "");
        assertEquals(RunFolder.Status.NEW, run.check(ID));
        Files.writeString(run.dataFingerprint(), ID.dataFingerprint() + "\n");
        Files.writeString(run.config(), "half");
        assertEquals(RunFolder.Status.NEW, run.adopt(ID, YAML));
        assertEquals(YAML, Files.readString(run.config()));
        // Begun for other data, it is not this run's.
        RunFolder other = new RunFolder(Files.createDirectories(dir.resolve("other")));
        Files.writeString(other.dataFingerprint(), "2222222222222222\n");
        assertThrows(ConfigException.class, () -> other.adopt(ID, YAML));
    }

    @Test
    void aPathThatCannotBeAFolderIsOneLineBeforeAnythingIsCreated() throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "x");
        assertOneLine(assertThrows(ConfigException.class, () -> new RunFolder(file).check(ID)), file + " is a file");
        assertOneLine(
                assertThrows(ConfigException.class, () -> new RunFolder(file.resolve("sub")).check(ID)),
                "lies under " + file);
        assertOneLine(
                assertThrows(ConfigException.class, () -> new RunFolder(Path.of("")).check(ID)), "output: is empty");
        Path longName = dir.resolve("x".repeat(300));
        assertOneLine(
                assertThrows(ConfigException.class, () -> new RunFolder(longName).check(ID)), "longer than 255 bytes");
        assertOneLine(
                assertThrows(ConfigException.class, () -> RunClaim.tryClaim(file.resolve("sub"))),
                "lies under " + file);
        assertEquals(Map.of("file", "x".getBytes()).keySet(), contents(dir).keySet());
    }
}
