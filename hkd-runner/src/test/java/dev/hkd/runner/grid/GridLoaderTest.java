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

/** Every key a grid can set reaches its cells, or is refused in one line naming it. */
class GridLoaderTest {

    private static final String BASE =
            "base: {seed: 10, data: {dataset: fashion-mnist-subset}, student: {model: tiny_cnn}}\n";

    @TempDir
    Path dir;

    private Path grid(String yaml) throws Exception {
        return Files.writeString(dir.resolve("g.yaml"), BASE + yaml);
    }

    private ConfigException refused(String yaml, List<String> overrides, String... parts) throws Exception {
        Path g = grid(yaml);
        ConfigException e =
                assertThrows(ConfigException.class, () -> GridLoader.cells(GridLoader.load(g, overrides)), yaml);
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), e.getMessage());
        }
        return e;
    }

    @Test
    void aSweptSeedReachesEachCellAndStartsItsTrials() throws Exception {
        List<Cell> cells = GridLoader.cells(
                GridLoader.load(grid("sweep: {seed: [1, 5]}\ntrials: 2\noutput: " + dir.resolve("o")), List.of()));
        assertEquals(
                List.of(1L, 2L, 5L, 6L),
                cells.stream().map(c -> c.config().seed()).toList());
        assertEquals(4, cells.stream().map(Cell::hash).distinct().count());
        assertEquals(4, cells.stream().map(Cell::folder).distinct().count());
        assertEquals("seed=1", cells.get(0).describe());
        // Without a seed axis, trials count up from base.seed.
        assertEquals(
                List.of(10L, 11L),
                GridLoader.cells(GridLoader.load(grid("trials: 2"), List.of())).stream()
                        .map(c -> c.config().seed())
                        .toList());
    }

    @Test
    void twoCellsThatAreOneRunAreRefused() throws Exception {
        refused("sweep: {seed: [1, 2]}\ntrials: 2", List.of(), "same run", "cells 1 and 2");
        refused("sweep: {method.name: [vanilla, vanilla]}", List.of(), "same run");
    }

    @Test
    void aCellsOutputIsTheGridsAndCannotBeSetElsewhere() throws Exception {
        refused("sweep: {output: [a, b]}", List.of(), "sweep.output", "cannot be an axis");
        refused("zip: [{output: [a, b], seed: [1, 2]}]", List.of(), "zip.output");
        Files.writeString(dir.resolve("g.yaml"), "base: {student: {model: tiny_cnn}, output: x}\n");
        ConfigException e =
                assertThrows(ConfigException.class, () -> GridLoader.load(dir.resolve("g.yaml"), List.of()));
        assertTrue(e.getMessage().contains("base.output"), e.getMessage());
        refused("", List.of("output=/tmp/elsewhere"), "--set output=/tmp/elsewhere");
    }

    @Test
    void nameAndOutputAreStringsNotMappingsListsOrEmpty() throws Exception {
        refused("name: {a: 1}", List.of(), "g.yaml:2: name", "non-empty string");
        refused("name: [a]", List.of(), "name");
        refused("output: [a, b]", List.of(), "g.yaml:2: output");
        refused("output: {a: 1}", List.of(), "output");
        refused("output: ''", List.of(), "output");
        refused("output: \"a\\nb\"", List.of(), "control character");
        // The default output is built from the name: a name that is no folder name is refused, not followed.
        refused("name: ../../../tmp/x", List.of(), "name");
        assertEquals(
                Path.of("runs", "fine"),
                GridLoader.load(grid("name: fine"), List.of()).output());
        refused("base2: 1", List.of(), "unknown key");
        Files.writeString(dir.resolve("g.yaml"), "base: [1]\n");
        assertThrows(ConfigException.class, () -> GridLoader.load(dir.resolve("g.yaml"), List.of()));
    }

    @Test
    void aKeyPathWithAnEmptyPartIsRefused() throws Exception {
        refused("sweep: {method..name: [kd]}", List.of(), "not a key path");
        refused("sweep: {seed: [1.5]}", List.of(), "seed");
    }

    @Test
    void aModelNameIsCheckedBeforeAnyPathIsBuiltFromIt() throws Exception {
        Path out = dir.resolve("out");
        refused(
                "sweep: {teacher.model: [fmnist_resnet, ../../../../tmp/x]}\noutput: " + out,
                List.of(),
                "g.yaml:2: teacher.model",
                "unknown model '../../../../tmp/x'",
                "cell 1");
        refused(
                "zip: [{student.model: [tiny_cnn, Tiny_cnn], seed: [1, 2]}]\noutput: " + out,
                List.of(),
                "g.yaml:2: student.model",
                "did you mean 'tiny_cnn'");
        Files.writeString(
                dir.resolve("g.yaml"),
                "base: {data: {dataset: fashion-mnist-subset}, student: {model: tiny_cnn},\n"
                        + "       teacher: {model: ../x}}\noutput: " + out + "\n");
        ConfigException e = assertThrows(
                ConfigException.class, () -> GridLoader.cells(GridLoader.load(dir.resolve("g.yaml"), List.of())));
        assertTrue(
                e.getMessage().matches(".*g\\.yaml:[12]: teacher\\.model: unknown model '\\.\\./x'.*"), e.getMessage());
        assertFalse(Files.exists(out), "a folder was made for a cell that names no model");
    }

    @Test
    void aMissingParentIsTheErrorOfTheFileThatExtendsIt() throws Exception {
        refused("extends: /", List.of(), "g.yaml:2: extends", "no such grid file: /");
        refused("extends: nowhere.yaml", List.of(), "g.yaml:2: extends", "nowhere.yaml");
    }
}
