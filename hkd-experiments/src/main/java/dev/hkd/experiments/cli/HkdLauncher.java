package dev.hkd.experiments.cli;

import dev.hkd.runner.grid.CellLauncher;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Child {@code hkd} processes on this JVM's classpath and settings: grid workers, one process per
 * cell, per cohort and per teacher, Slurm array tasks. Each gets {@code hkd run GRID}, its role's hidden flags
 * and {@code childArgs} (overrides, data folder, ...), which every child of one run shares.
 */
public final class HkdLauncher implements CellLauncher {

    private static final List<String> INHERITED = List.of(
            "ai.djl.offline",
            "TENSORFLOW_LIBRARY_PATH",
            "DJL_CACHE_DIR",
            "ai.djl.default_engine",
            "org.slf4j.simpleLogger.defaultLogLevel");

    private final List<String> childArgs;

    public HkdLauncher(List<String> childArgs) {
        this.childArgs = List.copyOf(childArgs);
    }

    @Override
    public List<String> worker(Path gridFile, int threads, long parentPid) {
        List<String> cmd = java(threads);
        cmd.addAll(List.of("run", gridFile.toString(), "--worker", "--parent-pid", Long.toString(parentPid)));
        cmd.addAll(childArgs);
        return cmd;
    }

    @Override
    public List<String> cell(Path gridFile, String index, boolean teacherOnly, long parentPid) {
        List<String> cmd = javaWithThisProcessThreads();
        cmd.addAll(List.of("run", gridFile.toString(), "--cell", index, "--parent-pid", Long.toString(parentPid)));
        if (teacherOnly) {
            cmd.add("--teacher-only");
        }
        cmd.addAll(childArgs);
        return cmd;
    }

    @Override
    public List<String> cohort(Path gridFile, int index, long parentPid) {
        List<String> cmd = javaWithThisProcessThreads();
        cmd.addAll(List.of(
                "run",
                gridFile.toString(),
                "--cohort",
                Integer.toString(index),
                "--parent-pid",
                Long.toString(parentPid)));
        cmd.addAll(childArgs);
        return cmd;
    }

    @Override
    public List<String> slurmCohortTask(Path gridFile, int cpus, String index) {
        return slurmArrayTask(gridFile, cpus, "--cohort", index);
    }

    @Override
    public List<String> slurmTask(Path gridFile, int cpus, String index) {
        return slurmArrayTask(gridFile, cpus, "--cell", index);
    }

    /** A Slurm array task runs one cell or cohort ({@code flag index}) of the grid on its job's {@code cpus}. */
    private List<String> slurmArrayTask(Path gridFile, int cpus, String flag, String index) {
        List<String> cmd = java(cpus);
        cmd.addAll(List.of("run", gridFile.toAbsolutePath().toString()));
        cmd.addAll(childArgs);
        cmd.addAll(List.of(flag, index));
        return cmd;
    }

    /** {@code java … Hkd} with {@code threads} intra-op threads. */
    private static List<String> java(int threads) {
        List<String> cmd = javaCommand();
        cmd.addAll(List.of("-Dai.djl.pytorch.num_threads=" + threads, "-Dai.djl.pytorch.num_interop_threads=1"));
        return finish(cmd);
    }

    /** {@code java … Hkd} with this JVM's thread settings. */
    private static List<String> javaWithThisProcessThreads() {
        List<String> cmd = javaCommand();
        for (String p : List.of("ai.djl.pytorch.num_threads", "ai.djl.pytorch.num_interop_threads")) {
            if (System.getProperty(p) != null) {
                cmd.add("-D" + p + "=" + System.getProperty(p));
            }
        }
        return finish(cmd);
    }

    private static List<String> javaCommand() {
        return new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path")));
    }

    private static List<String> finish(List<String> cmd) {
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("-Xmx") || a.startsWith("-Xms"))
                .forEach(cmd::add);
        for (String p : INHERITED) {
            if (System.getProperty(p) != null) {
                cmd.add("-D" + p + "=" + System.getProperty(p));
            }
        }
        cmd.add(Hkd.class.getName());
        return cmd;
    }
}
