package dev.hkd.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
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

    /** Runs the command line capturing stdout and stderr. */
    private static String[] capture(Supplier<Integer> command) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        try {
            int code = command.get();
            return new String[] {Integer.toString(code), o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    /** Every subcommand the command line registers (a new one is covered without listing it here). */
    static java.util.stream.Stream<String> subcommands() {
        return new picocli.CommandLine(new Hkd()).getSubcommands().keySet().stream().filter(c -> !c.equals("help"));
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
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, "student: {model: fmnist_cnn}\nepochs: 3\n");
        String[] r = capture(() -> Hkd.run("train", f.toString()));
        assertEquals("2", r[0]);
        String err = r[2].trim();
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.startsWith("hkd: error: " + f + ":2: epochs: unknown key; valid keys here: "), err);
    }

    @Test
    void anUnknownModelNamesTheKnownOnes() throws Exception {
        Path f = dir.resolve("model.yaml");
        Files.writeString(f, "student:\n  model: resnet9000\noutput: " + dir.resolve("out") + "\n");
        String[] r = capture(() -> Hkd.run("train", f.toString()));
        assertEquals("2", r[0]);
        assertTrue(r[2].contains(f + ":2: student.model: unknown model 'resnet9000'") && r[2].contains("fmnist_cnn"), r[2]);
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
        assertEquals("run", new com.fasterxml.jackson.databind.ObjectMapper().readTree(before.get("result.json")).path("outputDir").asText());
        String hash = new String(before.get("config.hash"), StandardCharsets.UTF_8).trim();

        String[] r = capture(() -> Hkd.run("train", f.toString(), "--set", "training.optimizer.lr=0.1"));

        assertEquals("2", r[0], r[1] + r[2]);
        String err = r[2].trim();
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.contains("output folder " + out) && err.contains("hash " + hash) && err.contains("this one "), err);
        try (var files = Files.list(out)) {
            List<Path> now = files.toList();
            assertEquals(before.keySet(), new java.util.TreeSet<>(now.stream().map(p -> p.getFileName().toString()).toList()));
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
        try (var channel = java.nio.channels.FileChannel.open(out.resolve("last.safetensors"), java.nio.file.StandardOpenOption.WRITE)) {
            channel.truncate(1000);
        }

        String[] r = capture(() -> Hkd.run("train", f.toString()));

        assertEquals("2", r[0], r[1] + r[2]);
        String err = r[2].trim();
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.contains(out.resolve("last.safetensors").toString()) && err.contains("damaged")
                && err.contains("delete the folder " + out), err);
    }

    @Test
    void benchRunsEveryWorkloadOnSmallModels() {
        String[] r = capture(() -> Hkd.run("bench", "--methods", "kd,hkd", "--teacher", "resnet8", "--student", "resnet8",
                "--negatives", "256", "--warmup", "1", "--steps", "2", "--repetitions", "2"));
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].lines().anyMatch(l -> l.startsWith("hkd ")), r[1]);
        assertTrue(r[1].contains("whole-bank product") && r[1].contains("images/s") && r[1].contains("batch  1024"), r[1]);
    }

    @Test
    void parityOfTheKdCasesEndsWithTheTally() throws Exception {
        Path cases = Path.of(HkdCommandLineTest.class.getResource("/parity/losses").toURI());
        Path kdOnly = dir.resolve("kd");
        Files.createDirectories(kdOnly);
        Files.copy(cases.resolve("kd-t1.json"), kdOnly.resolve("kd-t1.json"));
        Files.copy(cases.resolve("kd-t4.json"), kdOnly.resolve("kd-t4.json"));
        String[] r = capture(() -> Hkd.run("parity", kdOnly.toString()));
        assertEquals("0", r[0], r[1]);
        assertTrue(r[1].trim().endsWith("2 passed, 0 failed"), r[1]);
    }
}
