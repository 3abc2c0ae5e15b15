package dev.hkd.runner.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.hkd.training.config.ConfigLoader;
import dev.hkd.training.config.RunConfig;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What makes two runs the same run, and when trials share a teacher. */
class RunIdentityTest {

    @TempDir
    Path dir;

    private RunConfig config(String extra) throws Exception {
        Path f = Files.writeString(dir.resolve("c.yaml"), """
                seed: 1
                data: {dataset: fashion-mnist-subset}
                teacher: {model: fmnist_resnet%s}
                student: {model: fmnist_cnn}
                method: {name: kd}
                output: %s
                """.formatted(extra, dir.resolve("out")));
        return ConfigLoader.loadRun(f);
    }

    @Test
    void theIdentityIgnoresWhereARunIsStoredButNotWhatItComputes() throws Exception {
        RunConfig a = config("");
        RunConfig b = ConfigLoader.loadRun(dir.resolve("c.yaml"), List.of("output=elsewhere"));
        assertEquals(ConfigHash.identity(a), ConfigHash.identity(b));
        assertNotEquals(
                ConfigHash.identity(a),
                ConfigHash.identity(ConfigLoader.loadRun(dir.resolve("c.yaml"), List.of("seed=2"))));
    }

    @Test
    void anUnsetOptionalKeyLeavesTheIdentityAlone() throws Exception {
        // teacher.seed is optional: writing it as null is the same run as leaving it out.
        assertEquals(ConfigHash.identity(config("")), ConfigHash.identity(config(", seed: null")));
    }

    @Test
    void trialsWithAFixedTeacherSeedShareOneTeacherOtherwiseEachTrainsItsOwn() throws Exception {
        RunOptions options = RunOptions.defaults(new PrintStream(OutputStream.nullOutputStream()))
                .withCacheDir(dir.resolve("cache"));
        Path c = dir.resolve("c.yaml");
        config(", seed: 7");
        RunConfig trial1 = ConfigLoader.loadRun(c, List.of("seed=1"));
        RunConfig trial2 = ConfigLoader.loadRun(c, List.of("seed=2"));
        assertEquals(
                TeacherSource.teacherRun(trial1, options).output(),
                TeacherSource.teacherRun(trial2, options).output());
        assertEquals(7L, TeacherSource.teacherRun(trial1, options).seed());
        config("");
        assertNotEquals(
                TeacherSource.teacherRun(ConfigLoader.loadRun(c, List.of("seed=1")), options)
                        .output(),
                TeacherSource.teacherRun(ConfigLoader.loadRun(c, List.of("seed=2")), options)
                        .output());
    }

    @Test
    void aFinishedResultAnswersOnlyWhenItIsWholeAndOfThisConfiguration() throws Exception {
        dev.hkd.training.io.RunFolder run =
                new dev.hkd.training.io.RunFolder(Files.createDirectories(dir.resolve("run")));
        Files.writeString(run.result(), "{}");
        dev.hkd.training.config.ConfigException empty = org.junit.jupiter.api.Assertions.assertThrows(
                dev.hkd.training.config.ConfigException.class, () -> TrainingRun.readOutcome(run, "0123456789ab"));
        org.junit.jupiter.api.Assertions.assertTrue(
                empty.getMessage().contains("is incomplete (no model, method"), empty.getMessage());
        String whole = """
                {"model": "tiny_cnn", "method": "vanilla", "parameters": 10, "lastTop1": 50.0, "lastTop5": 90.0, "bestTop1": 51.0,
                 "seconds": 1.0, "epochs": 1, "outputDir": "run", "teacher": {}, "seed": 1, "configHash": "0123456789ab",
                 "dataFingerprint": "00ff"}
                """;
        Files.writeString(run.result(), whole);
        assertEquals(50.0, TrainingRun.readOutcome(run, "0123456789ab").lastTop1());
        dev.hkd.training.config.ConfigException other = org.junit.jupiter.api.Assertions.assertThrows(
                dev.hkd.training.config.ConfigException.class, () -> TrainingRun.readOutcome(run, "bbbbbbbbbbbb"));
        org.junit.jupiter.api.Assertions.assertTrue(
                other.getMessage().contains("another configuration"), other.getMessage());
    }

    @Test
    void aTeacherModelIsCheckedBeforeItNamesACacheFolder() throws Exception {
        RunOptions options = RunOptions.defaults(new PrintStream(OutputStream.nullOutputStream()))
                .withCacheDir(dir.resolve("cache"));
        Path escape = dir.resolve("escape");
        RunConfig run = ConfigLoader.loadRun(
                dir.resolve(config("").output()).resolveSibling("c.yaml"),
                List.of("teacher.model=../../../../" + escape.toString().replaceFirst("^/", "")));
        dev.hkd.training.config.ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(
                dev.hkd.training.config.ConfigException.class, () -> TeacherSource.teacherRun(run, options));
        org.junit.jupiter.api.Assertions.assertTrue(
                e.getMessage().startsWith("teacher.model: unknown model"), e.getMessage());
        org.junit.jupiter.api.Assertions.assertFalse(Files.exists(dir.resolve("cache")) || Files.exists(escape));
    }
}
