package dev.hkd.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
        assertTrue(err.startsWith("hkd: error: " + f + ":2: unknown key 'epochs'"), err);
    }

    @Test
    void anUnknownModelNamesTheKnownOnes() throws Exception {
        Path f = dir.resolve("model.yaml");
        Files.writeString(f, "student:\n  model: resnet9000\noutput: " + dir.resolve("out") + "\n");
        String[] r = capture(() -> Hkd.run("train", f.toString()));
        assertEquals("2", r[0]);
        assertTrue(r[2].contains(f + ":2: student.model: unknown model 'resnet9000'") && r[2].contains("fmnist_cnn"), r[2]);
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
