package dev.hkd.experiments.grid;

import dev.hkd.experiments.run.RunOptions;
import dev.hkd.experiments.run.TrainingRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the cells of a grid. A cell is claimed by an OS lock on {@code .claim} in its folder for
 * as long as it runs, so concurrent runners (threads of other processes, Slurm tasks) never run
 * one twice, and a killed runner's claim dies with it; the next runner resumes the cell from its
 * last checkpoint. Finished cells (with {@code result.json}) are skipped.
 */
public final class GridRunner {

    /** What became of a cell in this pass. */
    public enum State { DONE_BEFORE, CLAIMED_ELSEWHERE, RAN }

    private GridRunner() {
    }

    public static State runCell(Cell cell, Path gridFile, RunOptions options) {
        Path folder = cell.folder();
        try {
            Files.createDirectories(folder);
            if (Files.isRegularFile(folder.resolve(TrainingRun.RESULT_FILE))) {
                return State.DONE_BEFORE;
            }
            try (FileChannel channel = FileChannel.open(folder.resolve(".claim"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                FileLock lock;
                try {
                    lock = channel.tryLock();
                } catch (OverlappingFileLockException heldInThisProcess) {
                    return State.CLAIMED_ELSEWHERE;
                }
                if (lock == null) {
                    return State.CLAIMED_ELSEWHERE;
                }
                try (lock) {
                    if (Files.isRegularFile(folder.resolve(TrainingRun.RESULT_FILE))) {
                        return State.DONE_BEFORE;
                    }
                    TrainingRun.execute(cell.config(), gridFile, options);
                    return State.RAN;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every cell in order, skipping finished and claimed ones; returns each cell's state. */
    public static List<State> runAll(Grid grid, List<Cell> cells, RunOptions options) {
        List<State> states = new ArrayList<>();
        for (Cell cell : cells) {
            options.out().printf("cell %d/%d: %s%n", cell.index() + 1, cells.size(), cell.describe());
            State s = runCell(cell, grid.file(), options);
            if (s != State.RAN) {
                options.out().printf("cell %d/%d: %s%n", cell.index() + 1, cells.size(),
                        s == State.DONE_BEFORE ? "finished before, skipped" : "claimed by another runner, skipped");
            }
            states.add(s);
        }
        return states;
    }

    /**
     * {@code workers} processes of {@code hkd run GRID --worker}, each claiming cells as it goes,
     * with the machine's cores split between them.
     */
    public static int runWorkers(Path gridFile, List<String> extraArgs, int workers) {
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / workers);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> processes = new ArrayList<>();
        try {
            for (int w = 0; w < workers; w++) {
                List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                        "-Dai.djl.pytorch.num_threads=" + threads, "-Dai.djl.pytorch.num_interop_threads=1"));
                for (String p : List.of("ai.djl.offline", "TENSORFLOW_LIBRARY_PATH", "org.slf4j.simpleLogger.defaultLogLevel")) {
                    if (System.getProperty(p) != null) {
                        cmd.add("-D" + p + "=" + System.getProperty(p));
                    }
                }
                cmd.addAll(List.of("dev.hkd.experiments.cli.Hkd", "run", gridFile.toString(), "--worker"));
                cmd.addAll(extraArgs);
                processes.add(new ProcessBuilder(cmd).inheritIO().start());
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
        }
    }
}
