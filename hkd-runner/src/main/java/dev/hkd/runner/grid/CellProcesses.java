package dev.hkd.runner.grid;

import dev.hkd.runner.run.RunOptions;
import dev.hkd.runner.run.TeacherSource;
import dev.hkd.training.config.RunConfig;
import dev.hkd.training.io.RunClaim;
import dev.hkd.training.io.RunFolder;
import dev.hkd.training.methods.DistillerRegistry;
import dev.hkd.training.methods.MethodSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The local executor: every cell trains in a JVM of its own ({@code hkd run GRID --cell I}), and a
 * teacher that is not cached yet trains in one of its own before its first student.
 *
 * <p>Why not one process for the whole grid: libtorch's CPU kernels carry state from one run to
 * the next in a process, so a cell run after other cells drifted from the same cell started alone
 * — in the last digits for most cells, and a chaotic one diverged in the grid but trained alone.
 * A fresh process per cell (and per teacher) makes every number in the run store exactly what
 * {@code ./hkd train <cell>/config.yaml} computes for it on the same machine.
 */
public final class CellProcesses {

    /** A cell's process ended without a result, a divergence or a lost claim: its error is above. */
    public static final class CellFailedException extends RuntimeException {
        private final int exitCode;

        CellFailedException(String message, int exitCode) {
            super(message);
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }
    }

    private CellProcesses() {}

    /**
     * Runs each unfinished, unclaimed cell in its own process, one after the other.
     *
     * @param launcher the command line of each cell's process
     * @param environment extra environment for the children (the tracking URI travels here)
     */
    public static List<GridRunner.State> runAll(
            Grid grid, List<Cell> cells, CellLauncher launcher, Map<String, String> environment, RunOptions options) {
        int total = GridLoader.cells(grid).size();
        List<GridRunner.State> states = new ArrayList<>();
        DataFingerprints fingerprints = new DataFingerprints();
        for (Cell cell : cells) {
            states.add(runOne(grid, cell, total, launcher, environment, options, fingerprints));
        }
        return states;
    }

    /**
     * This cell's folder, after refusing one that is not its run (another configuration or data, no
     * marker): such a folder is never skipped as finished, nor trained into.
     */
    private static RunFolder checked(Cell cell, DataFingerprints fingerprints, RunOptions options) {
        RunFolder run = cell.run();
        if (run.check(new RunFolder.Identity(cell.hash(), null)) == RunFolder.Status.FINISHED) {
            run.check(new RunFolder.Identity(
                    cell.hash(), fingerprints.of(cell.config().data(), options)));
        }
        return run;
    }

    private static GridRunner.State runOne(
            Grid grid,
            Cell cell,
            int total,
            CellLauncher launcher,
            Map<String, String> environment,
            RunOptions options,
            DataFingerprints fingerprints) {
        Path folder = cell.folder();
        RunFolder run = checked(cell, fingerprints, options);
        boolean finished = run.isFinished();
        boolean failed = run.hasDiverged();
        // A finished cell needs a process only to reach the tracking server.
        if ((finished || failed) && options.tracking() == null) {
            return skip(
                    cell, total, finished ? GridRunner.State.DONE_BEFORE : GridRunner.State.DIVERGED_BEFORE, options);
        }
        if (!finished && !failed && !unclaimed(folder)) {
            return skip(cell, total, GridRunner.State.CLAIMED_ELSEWHERE, options);
        }
        int exit = runCell(grid, cell, false, launcher, environment);
        if (finished) {
            return GridRunner.State.DONE_BEFORE;
        } else if (failed) {
            return GridRunner.State.DIVERGED_BEFORE;
        }
        return after(grid, "cell " + (cell.index() + 1), run, exit);
    }

    /** A cell's state once the process that was to run it ended with {@code exit}. */
    private static GridRunner.State after(Grid grid, String what, RunFolder run, int exit) {
        if (run.isFinished()) {
            return GridRunner.State.RAN;
        } else if (run.hasDiverged()) {
            return GridRunner.State.DIVERGED;
        } else if (exit == 0) {
            return GridRunner.State.CLAIMED_ELSEWHERE;
        }
        throw new CellFailedException(
                grid.name() + ": " + what + "'s process ended with exit code " + exit
                        + " (its error is above); the grid stops here, re-run it to go on",
                exit);
    }

    /**
     * Runs each cohort with an unfinished, unclaimed member in a process of its own
     * ({@link CellLauncher#cohort}), one after the other, printing one line per cohort; a cohort of
     * one runs as a cell alone. Returns each cell's state, cohort by cohort.
     */
    public static List<GridRunner.State> runCohorts(
            Grid grid,
            List<Cohorts.Group> groups,
            CellLauncher launcher,
            Map<String, String> environment,
            RunOptions options) {
        int total = GridLoader.cells(grid).size();
        List<GridRunner.State> states = new ArrayList<>();
        DataFingerprints fingerprints = new DataFingerprints();
        for (Cohorts.Group group : groups) {
            options.out().println(group.describe(groups.size()));
            if (!group.shared()) {
                states.add(runOne(grid, group.members().get(0), total, launcher, environment, options, fingerprints));
                continue;
            }
            List<Cell> members = group.members();
            List<GridRunner.State> before = new ArrayList<>();
            boolean anyToRun = false;
            for (Cell cell : members) {
                RunFolder run = checked(cell, fingerprints, options);
                GridRunner.State state = run.isFinished()
                        ? GridRunner.State.DONE_BEFORE
                        : run.hasDiverged()
                                ? GridRunner.State.DIVERGED_BEFORE
                                : unclaimed(cell.folder()) ? null : GridRunner.State.CLAIMED_ELSEWHERE;
                before.add(state);
                anyToRun |= state == null;
            }
            if (anyToRun || options.tracking() != null) {
                if (anyToRun) {
                    trainTeacherFirst(grid, members.get(0), launcher, environment, options);
                }
                int exit = runChild(
                        launcher.cohort(
                                grid.file(),
                                group.index(),
                                ProcessHandle.current().pid()),
                        environment);
                for (int i = 0; i < members.size(); i++) {
                    states.add(
                            before.get(i) != null
                                    ? before.get(i)
                                    : after(
                                            grid,
                                            "cohort " + (group.index() + 1),
                                            members.get(i).run(),
                                            exit));
                }
            } else {
                states.addAll(before);
            }
            for (int i = 0; i < members.size(); i++) {
                if (before.get(i) != null) {
                    options.out()
                            .printf(
                                    "cell %d/%d: %s%n",
                                    members.get(i).index() + 1, total, GridRunner.describe(before.get(i)));
                }
            }
        }
        return states;
    }

    /**
     * Trains the cell's teacher in a process of its own if the cell needs one that is not cached
     * yet, so the student that follows starts from the same state as any later run of the cell.
     */
    public static void trainTeacherFirst(
            Grid grid, Cell cell, CellLauncher launcher, Map<String, String> environment, RunOptions options) {
        RunConfig config = cell.config();
        if (config.teacher() == null
                || config.teacher().savedModel() != null
                || config.teacher().checkpoint() != null) {
            return;
        }
        if (!MethodSet.build(config.method(), DistillerRegistry.fromClasspath(), grid.file())
                .needsTeacher()) {
            return;
        }
        Path dir = Path.of(TeacherSource.teacherRun(config, options).output());
        if (new RunFolder(dir).isFinished()) {
            return;
        }
        int exit = runCell(grid, cell, true, launcher, environment);
        if (exit != 0) {
            throw new CellFailedException(
                    grid.name() + ": the teacher of cell " + (cell.index() + 1) + " did not train (exit code " + exit
                            + ", its error is above)",
                    exit);
        }
    }

    /** Reports a cell that needs no process, as the in-process runner does. */
    private static GridRunner.State skip(Cell cell, int total, GridRunner.State state, RunOptions options) {
        options.out().printf("cell %d/%d: %s%n", cell.index() + 1, total, cell.describe());
        options.out().printf("cell %d/%d: %s%n", cell.index() + 1, total, GridRunner.describe(state));
        return state;
    }

    private static boolean unclaimed(Path folder) {
        Optional<RunClaim> claim = new RunFolder(folder).tryClaim(GridRunner.CLAIM_PATIENCE);
        claim.ifPresent(RunClaim::close);
        return claim.isPresent();
    }

    /** How long a stopping runner waits for its children to end after asking them to (SIGTERM) before it kills them. */
    private static final long STOP_SECONDS = 20;

    /**
     * Asks each process to stop (SIGTERM: its shutdown hooks run, so its own children stop too) and
     * waits for all of them, killing any left after {@link #STOP_SECONDS}: a stopped runner leaves nothing training.
     */
    static void stopAndWait(List<Process> processes) {
        processes.forEach(Process::destroy);
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(STOP_SECONDS);
        for (Process p : processes) {
            try {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !p.waitFor(left, java.util.concurrent.TimeUnit.NANOSECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Runs the cell's process (only its teacher with {@code teacherOnly}) to its end; its exit code. */
    private static int runCell(
            Grid grid, Cell cell, boolean teacherOnly, CellLauncher launcher, Map<String, String> environment) {
        return runChild(
                launcher.cell(
                        grid.file(),
                        Integer.toString(cell.index()),
                        teacherOnly,
                        ProcessHandle.current().pid()),
                environment);
    }

    private static int runChild(List<String> cmd, Map<String, String> environment) {
        ProcessBuilder builder = new ProcessBuilder(cmd).inheritIO();
        builder.environment().putAll(environment);
        System.out.flush();
        Process child;
        try {
            child = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Ctrl-C or a TERM on this process ends the child too (a KILL is caught by the child's own watch).
        Thread stopChild = new Thread(() -> stopAndWait(List.of(child)), "stop-cell");
        Runtime.getRuntime().addShutdownHook(stopChild);
        try {
            return child.waitFor();
        } catch (InterruptedException e) {
            child.destroy();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while a cell ran: " + String.join(" ", cmd));
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(stopChild);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: nothing to remove
            }
        }
    }
}
