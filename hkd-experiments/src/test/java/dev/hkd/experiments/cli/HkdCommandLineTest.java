package dev.hkd.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HkdCommandLineTest {

    @TempDir
    Path dir;

    private static String[] capture(Supplier<Integer> command) {
        return CapturedConsole.run(command);
    }

    /** Every subcommand the command line registers (a new one is covered without listing it here). */
    static java.util.stream.Stream<String> subcommands() {
        return new picocli.CommandLine(new Hkd())
                .getSubcommands().keySet().stream().filter(c -> !c.equals("help"));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("subcommands")
    void everySubcommandAnswersHelpWithItsUsageAndNothingOnStderr(String command) {
        String[] r = capture(() -> Hkd.run(command, "--help"));
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].startsWith("Usage: hkd " + command), r[1]);
        assertEquals("", r[2], command + " --help wrote to stderr");
    }

    @Test
    void methodsListsKdWithADescription() {
        String[] r = capture(() -> Hkd.run("methods"));
        assertEquals("0", r[0]);
        assertTrue(r[1].lines().anyMatch(l -> l.startsWith("kd ") && l.contains("Hinton")), r[1]);
    }

    @Test
    void aMalformedConfigIsOneLineOnStderrWithExitCode2() throws Exception {
        Path f = Files.writeString(dir.resolve("bad.yaml"), "student: {model: fmnist_cnn}\nepochs: 3\n");
        String[] r = capture(() -> Hkd.run("train", f.toString()));
        assertEquals("2", r[0]);
        String err = r[2].trim();
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.startsWith("hkd: error: " + f + ":2: epochs: unknown key; valid keys here: "), err);
    }

    @Test
    void anUnknownModelNamesTheKnownOnes() throws Exception {
        Path f = Files.writeString(
                dir.resolve("model.yaml"), "student:\n  model: resnet9000\noutput: " + dir.resolve("out") + "\n");
        String[] r = capture(() -> Hkd.run("train", f.toString()));
        assertEquals("2", r[0]);
        assertTrue(
                r[2].contains(f + ":2: student.model: unknown model 'resnet9000'") && r[2].contains("fmnist_cnn"),
                r[2]);
    }

    /** Trains a tiny vanilla run (one epoch, 64 images) into {@code out}; returns its config file. */
    private Path trainTiny(Path out) throws Exception {
        Path f = dir.resolve(out.getFileName() + ".yaml");
        Files.writeString(f, """
                data: {dataset: fashion-mnist-subset, augment: none, train_limit: 64}
                student: {model: tiny_cnn}
                method: {name: vanilla}
                training: {schedule: {epochs: 1}, batch_size: 32}
                output: %s
                """.formatted(out));
        assertEquals("0", capture(() -> Hkd.run("train", f.toString()))[0]);
        return f;
    }

    @Test
    void aFinishedRunFolderAnswersOnlyForItsOwnConfiguration() throws Exception {
        Path out = dir.resolve("run");
        Path f = trainTiny(out);
        java.util.Map<String, byte[]> before = new java.util.TreeMap<>();
        try (var files = Files.list(out)) {
            for (Path p : files.toList()) {
                before.put(p.getFileName().toString(), Files.readAllBytes(p));
            }
        }
        assertTrue(before.containsKey("result.json"), before.keySet().toString());
        // Relative to the store that holds it, so that a published store names no path of the machine that ran it.
        assertEquals(
                "run",
                new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(before.get("result.json"))
                        .path("outputDir")
                        .asText());
        String hash = new String(before.get("config.hash"), StandardCharsets.UTF_8).trim();

        String[] r = capture(() -> Hkd.run("train", f.toString(), "--set", "training.optimizer.lr=0.1"));

        assertEquals("2", r[0], r[1] + r[2]);
        String err = r[2].trim();
        assertEquals(1, err.lines().count(), err);
        assertTrue(
                err.contains("output folder " + out) && err.contains("hash " + hash) && err.contains("this one "), err);
        try (var files = Files.list(out)) {
            List<Path> now = files.toList();
            assertEquals(
                    before.keySet(),
                    new java.util.TreeSet<>(
                            now.stream().map(p -> p.getFileName().toString()).toList()));
            for (Path p : now) {
                assertArrayEquals(before.get(p.getFileName().toString()), Files.readAllBytes(p), p + " changed");
            }
        }
        // The same configuration still gets its finished result.
        assertEquals("0", capture(() -> Hkd.run("train", f.toString()))[0]);
    }

    @Test
    void aDamagedCheckpointIsOneLineSayingWhatToDo() throws Exception {
        Path out = dir.resolve("damaged");
        Path f = trainTiny(out);
        Files.delete(out.resolve("result.json"));
        try (var channel = java.nio.channels.FileChannel.open(
                out.resolve("last.safetensors"), java.nio.file.StandardOpenOption.WRITE)) {
            channel.truncate(1000);
        }

        String[] r = capture(() -> Hkd.run("train", f.toString()));

        assertEquals("2", r[0], r[1] + r[2]);
        String err = r[2].trim();
        assertEquals(1, err.lines().count(), err);
        assertTrue(
                err.contains(out.resolve("last.safetensors").toString())
                        && err.contains("damaged")
                        && err.contains("delete the folder " + out),
                err);
    }

    /** Asserts exit 2 with one line on stderr holding every part. */
    private static void assertRefused(String[] r, String... parts) {
        assertEquals("2", r[0], r[1] + r[2]);
        String err = r[2].trim();
        assertEquals(1, err.lines().count(), err);
        for (String part : parts) {
            assertTrue(err.contains(part), err);
        }
    }

    @Test
    void aFolderThatIsNotARunIsNeverWrittenInto() throws Exception {
        Path mine = Files.createDirectories(dir.resolve("mine"));
        Files.writeString(mine.resolve("config.yaml"), "mine\n");
        Files.writeString(mine.resolve("best.safetensors"), "w\n");
        Files.writeString(mine.resolve("metrics.jsonl"), "my line\n");
        Path f = dir.resolve("c.yaml");
        Files.writeString(
                f,
                "data: {dataset: fashion-mnist-subset, train_limit: 64}\nstudent: {model: tiny_cnn}\n"
                        + "training: {schedule: {epochs: 1}, batch_size: 32}\noutput: " + dir.resolve("unused") + "\n");

        assertRefused(
                capture(() -> Hkd.run("train", f.toString(), "--set", "output=" + mine)),
                "output folder " + mine,
                "no run of ours");

        try (var files = Files.list(mine)) {
            assertEquals(
                    List.of("best.safetensors", "config.yaml", "metrics.jsonl"),
                    files.map(p -> p.getFileName().toString()).sorted().toList(),
                    "a file was added");
        }
        assertEquals("mine\n", Files.readString(mine.resolve("config.yaml")));
        assertEquals("w\n", Files.readString(mine.resolve("best.safetensors")));
        assertEquals("my line\n", Files.readString(mine.resolve("metrics.jsonl")));
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        assertRefused(capture(() -> Hkd.run("train", f.toString(), "--set", "output=" + file)), "is a file");
        assertRefused(
                capture(() -> Hkd.run("train", f.toString(), "--set", "output=" + file.resolve("sub"))),
                "lies under " + file);
        assertRefused(
                capture(() -> Hkd.run("train", f.toString(), "--set", "output=" + dir.resolve("x".repeat(300)))),
                "255 bytes");
    }

    @Test
    void aFinishedRunAnswersOnlyForItsDataAndItsWholeResult() throws Exception {
        Path out = dir.resolve("run");
        Path f = trainTiny(out);
        assertEquals(
                new String(Files.readAllBytes(out.resolve("data.fingerprint"))).trim(),
                new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(out.resolve("result.json").toFile())
                        .path("dataFingerprint")
                        .asText());
        // --data-dir cannot change what the embedded set reads, so it is refused rather than ignored.
        assertRefused(
                capture(() -> Hkd.run("train", f.toString(), "--data-dir", dir.toString())), "--data-dir", "embedded");
        byte[] fingerprint = Files.readAllBytes(out.resolve("data.fingerprint"));
        Files.writeString(out.resolve("data.fingerprint"), "00000000000000ff\n");
        assertRefused(capture(() -> Hkd.run("train", f.toString())), "other data", "00000000000000ff");
        Files.write(out.resolve("data.fingerprint"), fingerprint);
        Files.writeString(out.resolve("result.json"), "{}");
        assertRefused(capture(() -> Hkd.run("train", f.toString())), "result.json: is incomplete");
        Files.delete(out.resolve("config.hash"));
        assertRefused(capture(() -> Hkd.run("train", f.toString())), "no config.hash");
    }

    @Test
    void aPasswordInTheTrackingUriNeverReachesTheConsole() throws Exception {
        Path f = Files.writeString(
                dir.resolve("c.yaml"), "student: {model: tiny_cnn}\noutput: " + dir.resolve("out") + "\n");
        for (String uri : List.of("http://alice:top/secret789@127.0.0.1:1", "http://alice:top@secret789@127.0.0.1:1")) {
            String[] r = capture(() -> Hkd.run("train", f.toString(), "--tracking-uri", uri));
            assertRefused(r, "tracking URI", "percent-encoded");
            assertTrue(!(r[1] + r[2]).contains("secret789") && !(r[1] + r[2]).contains("top"), r[1] + r[2]);
        }
    }

    @Test
    void countsOutsideWhatTheMachineTakesAreOneLine() throws Exception {
        Path g = Files.writeString(
                dir.resolve("g.yaml"), "base: {student: {model: tiny_cnn}}\noutput: " + dir.resolve("grid") + "\n");
        assertRefused(capture(() -> Hkd.run("run", g.toString(), "--workers", "0")), "--workers");
        assertRefused(capture(() -> Hkd.run("run", g.toString(), "--workers", "-1")), "--workers");
        assertRefused(capture(() -> Hkd.run("run", g.toString(), "--workers", "100000")), "--workers");
        assertRefused(capture(() -> Hkd.run("run", g.toString(), "--threads", "100000")), "--threads");
        assertRefused(capture(() -> Hkd.run("run", g.toString(), "--dry-run", "--set", "output=x")), "--set output=x");
        for (String[] bench :
                new String[][] {{"--steps", "0"}, {"--batch", "0"}, {"--batch", "-1"}, {"--threads", "100000"}}) {
            assertRefused(capture(() -> Hkd.run("bench", "--workload", "step", bench[0], bench[1])), bench[0]);
        }
        assertTrue(!Files.exists(dir.resolve("grid")), "a refused run created its output");
    }

    @Test
    void aFullDiskOrAReadOnlyFolderIsOneLineNotAnInternalError() {
        String full = Hkd.storageProblem(new java.io.UncheckedIOException(
                "runs/kd/metrics.jsonl: No space left on device", new java.io.IOException("No space left on device")));
        assertTrue(full.startsWith("runs/kd/metrics.jsonl: No space left on device; the disk is full"), full);
        String wrapped = Hkd.storageProblem(new IllegalStateException(
                "cannot write best checkpoint: runs/kd/best.safetensors: cannot" + " write (No space left on device)",
                new RuntimeException("runs/kd/best.safetensors: cannot write (No space left on device)")));
        assertTrue(
                wrapped.startsWith("cannot write best checkpoint: runs/kd/best.safetensors")
                        && wrapped.contains("the disk is full"),
                wrapped);
        String readOnly = Hkd.storageProblem(new IllegalStateException(
                new java.nio.file.FileSystemException("/ro/run/config.yaml", null, "Read-only file system")));
        assertTrue(
                readOnly.startsWith("/ro/run/config.yaml: Read-only file system; this folder cannot be written"),
                readOnly);
        assertEquals(null, Hkd.storageProblem(new IllegalStateException("a bug")));
    }

    @Test
    void aCheckpointOfAnotherSeedOrAnImpossiblePositionIsOneLine() throws Exception {
        Path out = dir.resolve("ckpt");
        Path f = trainTiny(out);
        Files.delete(out.resolve("result.json"));
        Path last = out.resolve("last.safetensors");
        byte[] original = Files.readAllBytes(last);
        for (String[] change : new String[][] {{"seed", "999"}, {"step", "-3"}, {"epoch", "-1"}, {"epoch", "abc"}}) {
            Files.write(last, original);
            try (ai.djl.ndarray.NDManager m =
                    dev.hkd.training.train.Engines.training().newBaseManager()) {
                dev.hkd.training.io.SafeTensors.Contents c = dev.hkd.training.io.SafeTensors.read(last, m);
                java.util.Map<String, String> meta = new java.util.LinkedHashMap<>(c.metadata());
                meta.put(change[0], change[1]);
                dev.hkd.training.io.SafeTensors.write(last, c.tensors(), meta);
            }
            assertRefused(capture(() -> Hkd.run("train", f.toString())), last.toString());
        }
    }

    @Test
    void benchRunsEveryWorkloadOnSmallModels() {
        String[] r = capture(() -> Hkd.run(
                "bench",
                "--methods",
                "kd,hkd",
                "--teacher",
                "resnet8",
                "--student",
                "resnet8",
                "--negatives",
                "256",
                "--warmup",
                "1",
                "--steps",
                "2",
                "--repetitions",
                "2"));
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].lines().anyMatch(l -> l.startsWith("hkd ")), r[1]);
        assertTrue(
                r[1].contains("memory banks:")
                        && r[1].contains("whole-bank")
                        && r[1].contains("images/s")
                        && r[1].contains("batch  1024"),
                r[1]);
    }

    @Test
    void parityOfTheKdCasesEndsWithTheTally() throws Exception {
        Path cases =
                Path.of(HkdCommandLineTest.class.getResource("/parity/losses").toURI());
        Path kdOnly = dir.resolve("kd");
        Files.createDirectories(kdOnly);
        Files.copy(cases.resolve("kd-t1.json"), kdOnly.resolve("kd-t1.json"));
        Files.copy(cases.resolve("kd-t4.json"), kdOnly.resolve("kd-t4.json"));
        String[] r = capture(() -> Hkd.run("parity", kdOnly.toString()));
        assertEquals("0", r[0], r[1]);
        assertTrue(r[1].trim().endsWith("2 passed, 0 failed"), r[1]);
    }
}
