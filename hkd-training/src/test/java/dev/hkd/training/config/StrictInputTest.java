package dev.hkd.training.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Values YAML or Jackson would silently resolve, round, wrap or coerce are refused in one line
 * {@code FILE:LINE: key: what is wrong; what would be valid}, and the line is never {@code :0}.
 */
class StrictInputTest {

    @TempDir
    Path dir;

    /** A valid config whose line 5 is {@code LINE5} (indented under training:). */
    private Path config(String line4, String line5) throws Exception {
        Path f = dir.resolve("run.yaml");
        Files.writeString(
                f,
                "seed: 1\nstudent: {model: fmnist_cnn}\ndata: {dataset: fashion-mnist-subset}\n" + line4 + "\n"
                        + "training:\n  " + line5 + "\n");
        return f;
    }

    private static ConfigException refused(Path f, List<String> overrides) {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.loadRun(f, overrides));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertFalse(e.getMessage().contains(":0:"), e.getMessage());
        return e;
    }

    @ParameterizedTest(name = "{0} / {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                // line 4 | line 5 (under training:) | line | key | said
                "teacher: {model: fmnist_resnet, seed: 2.5} | batch_size: 8 | 4 | teacher.seed | expected an integer",
                "eval_batch_size: 1.5 | batch_size: 8 | 4 | eval_batch_size | not a whole number",
                "checkpoint_every_steps: '10' | batch_size: 8 | 4 | checkpoint_every_steps | the string '10'",
                "output: x | schedule: {epochs: 2.5} | 6 | training.schedule.epochs | expected an integer",
                "output: x | schedule: {epochs: true} | 6 | training.schedule.epochs | true (a flag)",
                "output: x | schedule: {epochs: [3]} | 6 | training.schedule.epochs | a list",
                "output: x | schedule: {milestones: [1, 2.5]} | 6 | training.schedule.milestones[1] | not a whole number",
                "output: x | schedule: {milestones: [1, null]} | 6 | training.schedule.milestones[1] | null is not allowed",
                "output: x | optimizer: {lr: 1e400} | 6 | training.optimizer.lr | beyond the largest number",
                "output: x | optimizer: {lr: 1e-400} | 6 | training.optimizer.lr | closer to zero",
                "output: x | optimizer: {lr: .inf} | 6 | training.optimizer.lr | not a finite number",
                "output: x | optimizer: {nesterov: 1} | 6 | training.optimizer.nesterov | expected true or false",
                "output: x | batch_size: 2147483647 | 6 | training.batch_size | must be in [1, 65536]",
                "output: x | batch_size: 4294967297 | 6 | training.batch_size | must be in [-2147483648, 2147483647]",
                "output: x | batch_size: 0 | 6 | training.batch_size | must be in [1, 65536], got 0",
                "output: 3 | batch_size: 8 | 4 | output | expected a string",
                "method: {name: kd+} | batch_size: 8 | 4 | method.name | empty method id",
                "method: {name: vanilla, weights: {ce: 1e999}} | batch_size: 8 | 4 | method.weights.ce | beyond the largest",
            })
    void aValueThatWouldBeCoercedIsRefusedAtItsLineAndKey(String line4, String line5, int line, String key, String said)
            throws Exception {
        Path f = config(line4, line5);
        String m = refused(f, List.of()).getMessage();
        assertTrue(m.startsWith(f + ":" + line + ": " + key + ": "), m);
        assertTrue(m.contains(said), m);
    }

    @Test
    void theBoundedSizeLikeKeysNameTheirValidRange() throws Exception {
        Path f = Files.writeString(
                dir.resolve("run.yaml"),
                "student: {model: fmnist_cnn}\ndata:\n  dataset: image-folder\n  image_size: 30000\n");
        String m = refused(f, List.of()).getMessage();
        assertTrue(
                m.startsWith(f + ":4: data.image_size: must be in [1, " + DataConfig.MAX_IMAGE_SIZE + "], got 30000"),
                m);
        Files.writeString(f, "student: {model: fmnist_cnn}\ntraining: {schedule: {epochs: 1000000}}\n");
        assertTrue(refused(f, List.of()).getMessage().contains("training.schedule.epochs: must be in [1, 100000]"));
        Files.writeString(f, "student: {model: fmnist_cnn}\nseed: 9007199254740992\n");
        assertTrue(refused(f, List.of()).getMessage().startsWith(f + ":2: seed: must be in [0, 9007199254740991]"));
        Files.writeString(
                f, "student: {model: fmnist_cnn}\nteacher: {model: fmnist_resnet, seed: -1}\nmethod: {name: kd}\n");
        assertTrue(refused(f, List.of()).getMessage().startsWith(f + ":2: teacher.seed: must be in [0, "));
    }

    @Test
    void aKeyWrittenTwiceIsRefusedAtItsSecondLine() throws Exception {
        Path f = Files.writeString(
                dir.resolve("run.yaml"),
                "seed: 1\nstudent: {model: fmnist_cnn}\ntraining:\n  batch_size: 8\n  batch_size: 16\n");
        String m = refused(f, List.of()).getMessage();
        assertTrue(m.startsWith(f + ":5: training.batch_size: the key is written twice"), m);
        Files.writeString(f, "seed: 1\nstudent: {model: fmnist_cnn, model: tiny_cnn}\n");
        assertTrue(refused(f, List.of()).getMessage().startsWith(f + ":2: student.model: the key is written twice"));
    }

    @Test
    void anAliasIsRefusedInsteadOfReadAsItsAnchorsName() throws Exception {
        Path f = Files.writeString(
                dir.resolve("run.yaml"),
                "student: {model: &m fmnist_cnn}\nteacher:\n  model: *m\nmethod: {name: kd}\n");
        String m = refused(f, List.of()).getMessage();
        assertTrue(m.startsWith(f + ":3: teacher.model: the alias *m is not supported"), m);
        Files.writeString(f, "base: &b {batch_size: 8}\nstudent: {model: fmnist_cnn}\ntraining:\n  <<: *b\n");
        assertTrue(refused(f, List.of()).getMessage().contains("alias *b"));
    }

    @Test
    void anOversizedFileOrValueIsRefusedBeforeItIsParsed() throws Exception {
        Path f = Files.writeString(
                dir.resolve("run.yaml"),
                "student: {model: fmnist_cnn}\noutput: " + "x".repeat(StrictYaml.MAX_FILE_BYTES) + "\n");
        assertTrue(refused(f, List.of()).getMessage().contains("at most " + StrictYaml.MAX_FILE_BYTES + " bytes"));
        Files.writeString(
                f, "student: {model: fmnist_cnn}\noutput: " + "x".repeat(StrictYaml.MAX_SCALAR_CHARS + 1) + "\n");
        String scalar = refused(f, List.of()).getMessage();
        assertTrue(
                scalar.startsWith(f + ":2: output: a value of " + (StrictYaml.MAX_SCALAR_CHARS + 1) + " characters"),
                scalar);
        Files.writeString(f, "student: {model: fmnist_cnn}\noutput: " + "[".repeat(200) + "]".repeat(200) + "\n");
        String deep = refused(f, List.of()).getMessage();
        assertTrue(deep.startsWith(f + ":2") && deep.contains("deeper than " + StrictYaml.MAX_DEPTH), deep);
        Files.writeString(f, "student: {model: fmnist_cnn}\n");
        assertTrue(refused(f, List.of("output=" + "y".repeat(StrictYaml.MAX_SCALAR_CHARS + 1)))
                .getMessage()
                .contains("at most " + StrictYaml.MAX_SCALAR_CHARS));
    }

    @ParameterizedTest(name = "--set {0}")
    @CsvSource(
            delimiter = '|',
            value = {
                ".=1 | '.' is not a key path",
                "=1 | expected key.path=value",
                "seed | expected key.path=value",
                "a..b=1 | 'a..b' is not a key path",
                "seed=2.5 | seed: expected an integer",
                "seed=\"1\" | seed: expected an integer",
                "training.batch_size=1e400 | training.batch_size: expected an integer",
                "training.optimizer.lr=null | ",
                "seed.x=1 | seed: is a value, not a mapping",
                "training.schedule.milestones=[1, \"2\"] | training.schedule.milestones[1]: expected an integer",
                "'training.batch_size=[1, 2' | invalid YAML",
                "output=*x | the alias *x is not supported",
            })
    void aBadOverrideNamesItselfAndTheKey(String override, String said) throws Exception {
        Path f = Files.writeString(dir.resolve("run.yaml"), "seed: 1\nstudent: {model: fmnist_cnn}\n");
        if (said == null) {
            assertEquals(
                    0.05,
                    ConfigLoader.loadRun(f, List.of(override))
                            .training()
                            .optimizer()
                            .lr(),
                    "null leaves the default");
            return;
        }
        String m = refused(f, List.of(override)).getMessage();
        assertTrue(m.contains("--set " + override), m);
        assertTrue(m.contains(said), m);
    }

    @Test
    void validNumbersStillReadExactly() throws Exception {
        Path f = Files.writeString(dir.resolve("run.yaml"), """
                seed: 9007199254740991
                student: {model: fmnist_cnn}
                training:
                  optimizer: {lr: 1.0e-3, weight_decay: 5e-4, momentum: 0}
                  schedule: {epochs: 3, milestones: [1, 2], gamma: 1}
                  batch_size: 65536
                """);
        RunConfig c = ConfigLoader.loadRun(f);
        assertEquals(9007199254740991L, c.seed());
        assertEquals(1.0e-3, c.training().optimizer().lr());
        assertEquals(5e-4, c.training().optimizer().weightDecay());
        assertEquals(0.0, c.training().optimizer().momentum());
        assertEquals(1.0, c.training().schedule().gamma());
        assertEquals(65536, c.training().batchSize());
        assertEquals(List.of(1, 2), c.training().schedule().milestones());
    }

    @Test
    void theOneFormatterLeavesOutAnUnknownLineAndNamesTheKey() {
        assertEquals(
                "run.yaml: teacher.model: unknown model 'x'",
                ConfigException.at("run.yaml", 0, "teacher.model", "unknown model 'x'")
                        .getMessage());
        assertEquals(
                "run.yaml:3: teacher.model: unknown model 'x'",
                ConfigException.at("run.yaml", 3, "teacher.model", "unknown model 'x'")
                        .getMessage());
        assertEquals(
                "teacher.model: bad",
                ConfigException.at((Path) null, List.of("teacher", "model"), "bad")
                        .getMessage());
        assertEquals("x: a\\nb", new ConfigException("x: a\nb").getMessage(), "one line, whatever a value holds");
    }
}
