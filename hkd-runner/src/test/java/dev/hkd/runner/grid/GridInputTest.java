package dev.hkd.runner.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hkd.training.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A grid file is read by the same strict reader, override parser and formatter as a run config. */
class GridInputTest {

    @TempDir
    Path dir;

    /** A valid grid whose line 6 is {@code line6}. */
    private Path grid(String line6) throws Exception {
        return Files.writeString(dir.resolve("grid.yaml"), """
                name: g
                base:
                  student: {model: fmnist_cnn}
                  training: {schedule: {epochs: 1, milestones: []}}
                output: %s
                %s
                """.formatted(dir.resolve("out"), line6));
    }

    private static String refused(Path f, List<String> overrides) {
        ConfigException e = assertThrows(ConfigException.class, () -> GridLoader.cells(GridLoader.load(f, overrides)));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertFalse(e.getMessage().contains(":0:"), e.getMessage());
        return e.getMessage();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "trials: 2.5 | trials: expected an integer in [1, 1000], got 2.5",
                "trials: 1e10 | trials: expected an integer in [1, 1000], got 1.0E10",
                "trials: \"abc\" | trials: expected an integer in [1, 1000], got the string 'abc'",
                "trials: true | trials: expected an integer in [1, 1000], got true (a flag)",
                "trials: [3] | trials: expected an integer in [1, 1000], got a list",
                "trials: 4294967297 | trials: must be in [1, 1000], got 4294967297",
                "trials: 0 | trials: must be in [1, 1000], got 0",
                "name: h | name: the key is written twice",
                "sweep: {seed.: [1]} | is not a key path",
                "zip: [{}] | zip: a zip group needs at least one axis",
                "sweep: {training.batch_size: [8, 2.5]} | training.batch_size: expected an integer",
                "sweep: {training.optimizer.lr: [0.1, 1e400]} | training.optimizer.lr: 1E+400 is beyond the largest number",
            })
    void aBadGridValueIsOneLineAtItsLineAndKey(String line6, String said) throws Exception {
        Path f = grid(line6);
        String m = refused(f, List.of());
        assertTrue(m.startsWith(f + ":6: "), m);
        assertTrue(m.contains(said), m);
    }

    @Test
    void aDuplicateOrAliasInTheBaseIsRefusedAtItsLine() throws Exception {
        Path f = Files.writeString(
                dir.resolve("grid.yaml"), "base:\n  student: {model: fmnist_cnn}\n  seed: 1\n  seed: 2\n");
        assertTrue(refused(f, List.of()).startsWith(f + ":4: base.seed: the key is written twice"));
        Files.writeString(f, "base:\n  student: {model: &m fmnist_cnn}\n  teacher: {model: *m}\n");
        assertTrue(refused(f, List.of()).startsWith(f + ":3: base.teacher.model: the alias *m"));
        Files.writeString(f, "base:\n  student: {model: fmnist_cnn}\n  seed: 1.5\n");
        assertTrue(refused(f, List.of()).startsWith(f + ":3: base.seed: expected an integer"));
    }

    @Test
    void aGridThatWouldExpandBeyondTheBoundIsRefusedBeforeExpanding() throws Exception {
        String values = "[" + String.join(", ", java.util.Collections.nCopies(400, "1")) + "]";
        Path f = grid("sweep: {a.x: " + values + ", a.y: " + values + "}\ntrials: 1000");
        String m = refused(f, List.of());
        assertTrue(m.contains("more than " + GridLoader.MAX_CELLS + " cells"), m);
    }

    @Test
    void overridesGoThroughTheOneParser() throws Exception {
        Path f = grid("trials: 1");
        assertTrue(refused(f, List.of(".=1")).startsWith("--set .=1: "));
        assertTrue(refused(f, List.of("seed=2.5")).contains("seed: expected an integer"));
        Grid g = GridLoader.load(f, List.of("training.batch_size=16"));
        assertEquals(16, GridLoader.cells(g).get(0).config().training().batchSize());
    }
}
