package dev.hkd.runner.grid;

import java.nio.file.Path;
import java.util.List;

/**
 * The command lines of the processes a grid starts. The command line that runs the grid provides
 * them (with its own arguments for overrides, data folder, ...), so the grid knows neither the
 * program nor its flags.
 *
 * <pre>{@code
 * List<String> cmd = launcher.cell(gridFile, "3", false, ProcessHandle.current().pid());
 * new ProcessBuilder(cmd).inheritIO().start();
 * }</pre>
 */
public interface CellLauncher {

    /**
     * A worker that claims and runs cells of the grid until none is left, with {@code threads}
     * intra-op threads; it stops (and so do its cells) when process {@code parentPid} is gone.
     */
    List<String> worker(Path gridFile, int threads, long parentPid);

    /**
     * One cell, or only its teacher, with this process's thread settings, so that it computes
     * exactly what the same cell computes when started alone; it stops when process
     * {@code parentPid} is gone.
     */
    List<String> cell(Path gridFile, String index, boolean teacherOnly, long parentPid);

    /**
     * The cells of cohort {@code index} of the grid ({@link Cohorts#of}) in one process, with this
     * process's thread settings; it stops when process {@code parentPid} is gone.
     */
    List<String> cohort(Path gridFile, int index, long parentPid);

    /**
     * What a Slurm array task of a grid run in cohorts runs: cohort {@code index} (as written in the
     * job script) with {@code cpus} intra-op threads.
     */
    List<String> slurmCohortTask(Path gridFile, int cpus, String index);

    /**
     * What a Slurm array task runs: one cell with {@code cpus} intra-op threads; {@code index} is
     * given as written in the job script (e.g. {@link #SLURM_TASK_INDEX}).
     */
    List<String> slurmTask(Path gridFile, int cpus, String index);

    /** The job script's reference to the task's array index, written unquoted so the shell expands it. */
    String SLURM_TASK_INDEX = "$SLURM_ARRAY_TASK_ID";
}
