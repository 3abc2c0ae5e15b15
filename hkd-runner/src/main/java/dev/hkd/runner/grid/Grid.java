package dev.hkd.runner.grid;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A comparison in one file: a base run configuration, axes swept as a cartesian product, axes
 * that vary together ({@code zip}), and a number of trials (seeds {@code seed, seed+1, …}).
 *
 * <pre>{@code
 * extends: ../common.yaml
 * name: fashion-table
 * base: {data: {dataset: fashion-mnist-subset}, student: {model: fmnist_cnn}, ...}
 * sweep:
 *   method.name: [kd, hkd+kd]
 * zip:
 *   - {teacher.model: [fmnist_resnet, resnet8], student.model: [fmnist_cnn, resnet8]}
 * trials: 3
 * output: runs/fashion-table
 * cohorts: true            # cells that share a teacher pass train in one process
 * }</pre>
 *
 * @param file the grid file
 * @param name the grid's name (experiment name in trackers)
 * @param base the base run configuration as a tree
 * @param sweep key path → values, combined as a cartesian product in file order
 * @param zip groups of key paths whose value lists advance together
 * @param trials how many seeds per combination
 * @param output the folder holding one sub-folder per cell
 * @param slurm sbatch settings ({@code partition}, {@code cpus_per_task}, {@code mem}, {@code time})
 * @param cohorts whether cells that share a teacher pass train together ({@code cohorts: true}, or {@code hkd run --cohorts}; see {@link Cohorts})
 */
public record Grid(
        Path file,
        String name,
        JsonNode base,
        Map<String, List<JsonNode>> sweep,
        List<Map<String, List<JsonNode>>> zip,
        int trials,
        Path output,
        Map<String, String> slurm,
        boolean cohorts) {

    /** This grid with its cells grouped into cohorts, as {@code --cohorts} asks. */
    public Grid withCohorts() {
        return new Grid(file, name, base, sweep, zip, trials, output, slurm, true);
    }
}
