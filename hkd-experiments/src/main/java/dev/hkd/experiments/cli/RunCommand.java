package dev.hkd.experiments.cli;

import ai.djl.ndarray.NDManager;
import dev.hkd.runner.grid.Cell;
import dev.hkd.runner.grid.CellProcesses;
import dev.hkd.runner.grid.Cohorts;
import dev.hkd.runner.grid.Grid;
import dev.hkd.runner.grid.GridLoader;
import dev.hkd.runner.grid.GridRunner;
import dev.hkd.runner.grid.SlurmExecutor;
import dev.hkd.runner.run.DataDirectory;
import dev.hkd.runner.run.MachineBounds;
import dev.hkd.runner.run.RunOptions;
import dev.hkd.runner.run.TeacherSource;
import dev.hkd.runner.run.TrainingRun;
import dev.hkd.runner.tracking.TrackingServer;
import dev.hkd.training.data.RunData;
import dev.hkd.training.train.Engines;
import dev.hkd.training.train.Teacher;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "run",
        description = "Run every cell of a grid file (finished cells are skipped, interrupted ones resume).")
final class RunCommand implements Callable<Integer> {

    @Mixin
    Tracking tracking = new Tracking();

    enum Executor {
        local,
        slurm
    }

    @Parameters(paramLabel = "GRID.yaml", description = "the grid: base config, sweep/zip axes, trials")
    Path grid;

    @Option(names = "--dry-run", description = "list the cells with their key values and stop")
    boolean dryRun;

    @Option(names = "--cell", paramLabel = "I", description = "run only cell I (0-based; e.g. one Slurm array task)")
    Integer cell;

    @Option(
            names = "--cohorts",
            description = "train the cells that share a teacher pass (teacher, seed, data, batch size, teacher mode)"
                    + " together, one process per cohort and one teacher pass per batch; the numbers are those of each cell alone (as"
                    + " 'cohorts: true' in the grid file)")
    boolean cohorts;

    @Option(
            names = "--cohort",
            paramLabel = "I",
            hidden = true,
            description = "internal: run only cohort I (0-based; e.g. one Slurm array task)")
    Integer cohort;

    @Option(
            names = "--workers",
            defaultValue = "1",
            description = "local processes running cells at once, cores split between them (default ${DEFAULT-VALUE})")
    int workers;

    @Option(
            names = "--threads",
            paramLabel = "N",
            description =
                    "libtorch intra-op threads of each cell's process (default: the"
                            + " cores split between the workers; a resumed cell keeps the count its folder records). CPU results depend on it")
    Integer threads;

    @Option(
            names = "--executor",
            defaultValue = "local",
            description =
                    "local or slurm (one job array, a task per unfinished cell; resources from the grid's slurm: section)")
    Executor executor;

    @Option(names = "--no-wait", description = "with --executor slurm: submit and return instead of following the job")
    boolean noWait;

    @Option(names = "--worker", hidden = true, description = "internal: run as one of --workers")
    boolean worker;

    @Option(
            names = "--teacher-only",
            hidden = true,
            description = "internal: with --cell, train (or load) the cell's teacher and stop")
    boolean teacherOnly;

    @Option(
            names = "--parent-pid",
            hidden = true,
            description = "internal: stop when this process (the runner that started us) is gone")
    Long parentPid;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a value of the base config (repeatable)")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--data-dir", paramLabel = "DIR", description = "folder with the dataset files")
    Path dataDir;

    @Override
    public Integer call() throws Exception {
        MachineBounds.requireWorkers(workers);
        MachineBounds.requireThreads(threads, "--threads");
        Grid g = GridLoader.load(grid, overrides);
        if (cohorts || cohort != null) {
            g = g.withCohorts();
        }
        List<Cell> cells = GridLoader.cells(g);
        if (dryRun) {
            System.out.printf(
                    "%s: %d cells (%d trials each), output %s%n", g.name(), cells.size(), g.trials(), g.output());
            for (Cell c : cells) {
                System.out.printf(
                        "  %3d  %s  %s  [%s]%n",
                        c.index(), c.hash(), c.describe(), c.folder().getFileName());
            }
            if (g.cohorts()) {
                List<Cohorts.Group> groups = Cohorts.of(cells, g.file());
                groups.forEach(group -> System.out.println(group.describe(groups.size())));
            }
            return 0;
        }
        if (parentPid != null) {
            ParentWatch.start(parentPid);
        }
        if (threads != null) {
            // Cell and teacher processes inherit this JVM's thread setting (HkdLauncher.cell).
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        }
        TrackingServer server = tracking.server();
        if (server != null && !worker && cell == null && cohort == null) {
            System.out.printf("%s: tracking to MLflow at %s, experiment '%s'%n", g.name(), server, g.name());
        }
        if (cell == null && cohort == null && !worker && (workers > 1 || executor == Executor.slurm)) {
            if (executor == Executor.slurm) {
                int missing = new SlurmExecutor(g, cells, System.out)
                        .run(new HkdLauncher(childArgs()), childEnvironment(), !noWait);
                return missing == 0 ? 0 : 1;
            }
            int failed =
                    GridRunner.runWorkers(grid, new HkdLauncher(childArgs()), workers, threads, childEnvironment());
            System.out.printf("%s: %d workers finished, %d failed%n", g.name(), workers - failed, failed);
            return failed == 0 ? 0 : 1;
        }
        RunOptions options = RunOptions.defaults(System.out)
                .withDataDir(dataDir)
                .withExperiment(g.name())
                .withTracking(server, tracking.logCheckpoint);
        List<GridRunner.State> states;
        try {
            if (cell != null) {
                if (cell < 0 || cell >= cells.size()) {
                    throw new IllegalArgumentException(
                            "--cell " + cell + ": the grid has cells 0 to " + (cells.size() - 1));
                }
                Cell one = cells.get(cell);
                if (teacherOnly) {
                    trainTeacher(one, options);
                    return 0;
                }
                CellProcesses.trainTeacherFirst(g, one, new HkdLauncher(childArgs()), childEnvironment(), options);
                states = GridRunner.runAll(g, List.of(one), options);
            } else if (cohort != null) {
                List<Cohorts.Group> groups = Cohorts.of(cells, g.file());
                if (cohort < 0 || cohort >= groups.size()) {
                    throw new IllegalArgumentException(
                            "--cohort " + cohort + ": the grid has cohorts 0 to " + (groups.size() - 1));
                }
                Cohorts.Group group = groups.get(cohort);
                CellProcesses.trainTeacherFirst(
                        g, group.members().get(0), new HkdLauncher(childArgs()), childEnvironment(), options);
                states = GridRunner.runCohorts(g, List.of(group), options);
            } else if (g.cohorts()) {
                states = CellProcesses.runCohorts(
                        g, Cohorts.of(cells, g.file()), new HkdLauncher(childArgs()), childEnvironment(), options);
            } else {
                states = CellProcesses.runAll(g, cells, new HkdLauncher(childArgs()), childEnvironment(), options);
            }
        } catch (CellProcesses.CellFailedException e) {
            System.err.println("hkd: " + e.getMessage());
            return e.exitCode();
        }
        long ran = states.stream().filter(s -> s == GridRunner.State.RAN).count();
        long before =
                states.stream().filter(s -> s == GridRunner.State.DONE_BEFORE).count();
        long diverged = states.stream()
                .filter(s -> s == GridRunner.State.DIVERGED || s == GridRunner.State.DIVERGED_BEFORE)
                .count();
        if (cell == null && cohort == null) {
            System.out.printf(
                    "%s: %d cells run now, %d finished before, %d diverged, %d claimed by other runners%n",
                    g.name(), ran, before, diverged, states.size() - ran - before - diverged);
        }
        return diverged == 0 ? 0 : 1;
    }

    /** What every child process (worker, Slurm task, cell, teacher) gets after {@code run GRID}. */
    private List<String> childArgs() {
        List<String> args = new ArrayList<>();
        overrides.forEach(o -> args.addAll(List.of("--set", o)));
        if (dataDir != null) {
            args.addAll(List.of("--data-dir", dataDir.toAbsolutePath().toString()));
        }
        if (tracking.logCheckpoint) {
            args.add("--log-checkpoint");
        }
        if (tracking.artifactRoot != null) {
            args.addAll(List.of(
                    "--artifact-root", tracking.artifactRoot.toAbsolutePath().toString()));
        }
        if (cohorts) {
            args.add("--cohorts");
        }
        return args;
    }

    /** The tracking URI may carry credentials: it goes to the children in their environment, not their arguments. */
    private Map<String, String> childEnvironment() {
        Map<String, String> env = new HashMap<>();
        if (tracking.trackingUri != null) {
            env.put("MLFLOW_TRACKING_URI", tracking.trackingUri);
        }
        return env;
    }

    private static void trainTeacher(Cell cell, RunOptions options) throws Exception {
        DataDirectory.requireConsistent(cell.config().data(), options.dataDir());
        RunData data = RunData.load(cell.config().data(), options.dataDir(), options.environment());
        try (NDManager root = Engines.training().newBaseManager()) {
            Teacher teacher = TeacherSource.obtain(
                    cell.config(), data, root, options, (teacherRun, o) -> TrainingRun.execute(teacherRun, null, o));
            System.out.println(teacher.summary());
            if (teacher.network() instanceof AutoCloseable closeable) {
                closeable.close();
            }
        }
    }
}
