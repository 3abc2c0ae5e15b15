package dev.hkd.runner.grid;

import dev.hkd.runner.run.CohortRun;
import dev.hkd.runner.run.RecordedThreads;
import dev.hkd.runner.run.RunOptions;
import dev.hkd.runner.run.TrainingRun;
import dev.hkd.runner.tracking.MlflowTracker;
import dev.hkd.runner.tracking.RunDescription;
import dev.hkd.training.io.RunClaim;
import dev.hkd.training.io.RunFolder;
import dev.hkd.training.train.Engines;
import dev.hkd.training.train.TrainingDivergedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the cells of a grid. A cell is claimed ({@link RunClaim}) for as long as it runs, so
 * concurrent runners (other processes, Slurm tasks) never run one twice, and a killed runner's
 * claim dies with it; the next runner resumes the cell from its last checkpoint. Finished cells
 * (with {@code result.json}) are skipped — and, when tracking, synced, so a cell that finished
 * while the server was away reaches it. A cell whose training diverges gets {@code failed.json}
 * and the other cells go on; it is skipped later (training is deterministic, so it would diverge
 * again) until its folder is deleted.
 */
public final class GridRunner {

    /** What became of a cell in this pass. */
    public enum State {
        DONE_BEFORE,
        CLAIMED_ELSEWHERE,
        RAN,
        DIVERGED,
        DIVERGED_BEFORE
    }

    /** How long a held claim may take to go away before its cell counts as another runner's. */
    static final java.time.Duration CLAIM_PATIENCE = java.time.Duration.ofSeconds(3);

    private GridRunner() {}

    public static State runCell(Cell cell, Path gridFile, RunOptions options) {
        Path folder = cell.folder();
        RunFolder run = new RunFolder(folder);
        run.check(new RunFolder.Identity(cell.hash(), null));
        Optional<RunClaim> claim = run.tryClaim(CLAIM_PATIENCE);
        if (claim.isEmpty()) {
            return State.CLAIMED_ELSEWHERE;
        }
        try (RunClaim held = claim.get()) {
            if (run.isFinished()) {
                // It answers for this cell only if it trained on this data.
                run.check(new RunFolder.Identity(
                        cell.hash(), new DataFingerprints().of(cell.config().data(), options)));
                syncFinished(folder, options);
                return State.DONE_BEFORE;
            }
            if (run.hasDiverged()) {
                // Training is deterministic: resuming would diverge again. Delete the folder to retry.
                syncFinished(folder, options);
                return State.DIVERGED_BEFORE;
            }
            try {
                // A cell resumed by a runner with other threads keeps the count its folder records.
                RecordedThreads.apply(null, folder, null, options.out());
                TrainingRun.execute(cell.config(), gridFile, options);
                return State.RAN;
            } catch (TrainingDivergedException e) {
                options.out().printf("cell %d diverged: %s%n", cell.index() + 1, e.getMessage());
                return State.DIVERGED;
            }
        }
    }

    /**
     * The cells of one cohort in this process, one teacher pass per batch for all
     * ({@link CohortRun}); a group of one runs as {@link #runCell}. Each member is claimed as a
     * cell alone is: a finished or failed member is skipped, a member another runner holds is left
     * to it. A member whose folder records another thread count than the cohort's first runs
     * alone after the cohort, with its own count. Returns each member's state, in member order.
     */
    public static List<State> runCohort(Cohorts.Group group, Path gridFile, RunOptions options) {
        return runCohort(group, gridFile, options, Long.MAX_VALUE);
    }

    /** As above, stopping after {@code maxPasses} teacher passes (an interruption, for tests). */
    public static List<State> runCohort(Cohorts.Group group, Path gridFile, RunOptions options, long maxPasses) {
        if (!group.shared()) {
            return List.of(runCell(group.members().get(0), gridFile, options));
        }
        Map<Cell, State> states = new LinkedHashMap<>();
        Map<Cell, RunClaim> claims = new LinkedHashMap<>();
        List<Cell> alone = new ArrayList<>();
        try {
            Integer threads = null;
            for (Cell cell : group.members()) {
                RunFolder run = cell.run();
                Optional<RunClaim> claim = run.tryClaim(CLAIM_PATIENCE);
                if (claim.isEmpty()) {
                    states.put(cell, State.CLAIMED_ELSEWHERE);
                    continue;
                }
                if (run.isFinished() || run.hasDiverged()) {
                    syncFinished(cell.folder(), options);
                    claim.get().close();
                    states.put(cell, run.isFinished() ? State.DONE_BEFORE : State.DIVERGED_BEFORE);
                    continue;
                }
                Optional<Integer> recorded = RecordedThreads.in(cell.folder());
                if (threads == null) {
                    // A member resumed by a runner with other threads keeps the count its folder records.
                    RecordedThreads.apply(null, cell.folder(), null, options.out());
                    threads = Engines.intraOpThreads();
                } else if (recorded.isPresent() && !recorded.get().equals(threads)) {
                    claim.get().close();
                    alone.add(cell);
                    continue;
                }
                claims.put(cell, claim.get());
            }
            List<Cell> members = new ArrayList<>(claims.keySet());
            if (!members.isEmpty()) {
                List<CohortRun.MemberResult> results = CohortRun.execute(
                        members.stream().map(Cell::config).toList(), gridFile, options, group.cohort(), maxPasses);
                for (int i = 0; i < members.size(); i++) {
                    CohortRun.MemberResult r = results.get(i);
                    if (r.diverged() != null) {
                        options.out()
                                .printf(
                                        "cell %d diverged: %s%n",
                                        members.get(i).index() + 1, r.diverged().getMessage());
                    }
                    states.put(members.get(i), r.diverged() != null ? State.DIVERGED : State.RAN);
                }
            }
        } finally {
            claims.values().forEach(RunClaim::close);
        }
        for (Cell cell : alone) {
            options.out()
                    .printf(
                            "cell %d: its folder records another thread count than the cohort's; it runs alone%n",
                            cell.index() + 1);
            states.put(cell, runCell(cell, gridFile, options));
        }
        List<State> out = new ArrayList<>();
        group.members().forEach(c -> out.add(states.get(c)));
        return out;
    }

    /** Every cohort in order in this process (the cells of each printed in one line); returns each cell's state. */
    public static List<State> runCohorts(Grid grid, List<Cohorts.Group> groups, RunOptions options) {
        int total = GridLoader.cells(grid).size();
        int cohorts = Cohorts.of(GridLoader.cells(grid), grid.file()).size();
        List<State> states = new ArrayList<>();
        for (Cohorts.Group group : groups) {
            options.out().println(group.describe(cohorts));
            List<State> s = runCohort(group, grid.file(), options);
            for (int i = 0; i < s.size(); i++) {
                if (s.get(i) != State.RAN) {
                    options.out()
                            .printf("cell %d/%d: %s%n", group.members().get(i).index() + 1, total, describe(s.get(i)));
                }
            }
            states.addAll(s);
        }
        return states;
    }

    private static void syncFinished(Path folder, RunOptions options) {
        if (options.tracking() != null && RunDescription.exists(folder)) {
            try (MlflowTracker tracker =
                    new MlflowTracker(options.tracking(), folder, options.uploadCheckpoint(), options.out())) {
                tracker.finish(120);
            }
        }
    }

    /**
     * Every cell in order in this process, skipping finished and claimed ones; returns each cell's
     * state. The local executor runs one cell per process ({@link CellProcesses}); in-process runs
     * of several cells are for tests.
     */
    public static List<State> runAll(Grid grid, List<Cell> cells, RunOptions options) {
        int total = GridLoader.cells(grid).size();
        List<State> states = new ArrayList<>();
        for (Cell cell : cells) {
            options.out().printf("cell %d/%d: %s%n", cell.index() + 1, total, cell.describe());
            State s = runCell(cell, grid.file(), options);
            if (s != State.RAN) {
                options.out().printf("cell %d/%d: %s%n", cell.index() + 1, total, describe(s));
            }
            states.add(s);
        }
        return states;
    }

    /** How a cell that did not simply run is reported. */
    static String describe(State s) {
        return switch (s) {
            case DONE_BEFORE -> "finished before, skipped";
            case DIVERGED -> "diverged (" + RunFolder.FAILED + " in its folder); the other cells go on";
            case DIVERGED_BEFORE -> "diverged before (" + RunFolder.FAILED + "), skipped; delete its folder to retry";
            case CLAIMED_ELSEWHERE -> "claimed by another runner, skipped";
            case RAN -> "ran";
        };
    }

    /**
     * {@code workers} worker processes ({@link CellLauncher#worker}), each claiming cells as it goes,
     * each with {@code threads} intra-op threads (null: the machine's cores split between them).
     *
     * @param environment extra environment for the workers (the tracking URI travels here, not in arguments)
     */
    public static int runWorkers(
            Path gridFile, CellLauncher launcher, int workers, Integer threadsEach, Map<String, String> environment) {
        int threads = threadsEach != null
                ? threadsEach
                : Math.max(1, Runtime.getRuntime().availableProcessors() / workers);
        List<Process> processes = new java.util.concurrent.CopyOnWriteArrayList<>();
        // SIGTERM or Ctrl-C to the runner stops its workers, which stop their cells the same way (a SIGKILL
        // is caught by each worker's ParentWatch); the runner waits for them so none outlives it.
        Thread stopWorkers = new Thread(() -> CellProcesses.stopAndWait(processes), "stop-workers");
        Runtime.getRuntime().addShutdownHook(stopWorkers);
        try {
            for (int w = 0; w < workers; w++) {
                ProcessBuilder builder = new ProcessBuilder(launcher.worker(
                                gridFile, threads, ProcessHandle.current().pid()))
                        .inheritIO();
                builder.environment().putAll(environment);
                processes.add(builder.start());
            }
            int failed = 0;
            for (Process p : processes) {
                if (p.waitFor() != 0) {
                    failed++;
                }
            }
            return failed;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            processes.forEach(Process::destroy);
            Thread.currentThread().interrupt();
            return workers;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(stopWorkers);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: nothing to remove
            }
        }
    }
}
