package dev.hkd.experiments.grid;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command line of another {@code hkd} process on this JVM's classpath and settings (workers, Slurm tasks). */
final class HkdProcess {

    private static final List<String> INHERITED = List.of("ai.djl.offline", "TENSORFLOW_LIBRARY_PATH", "DJL_CACHE_DIR",
            "ai.djl.default_engine", "org.slf4j.simpleLogger.defaultLogLevel");

    private HkdProcess() {
    }

    /** {@code java … dev.hkd.experiments.cli.Hkd}, with {@code threads} intra-op threads; append the arguments. */
    static List<String> command(int threads) {
        List<String> cmd = javaCommand();
        cmd.addAll(List.of("-Dai.djl.pytorch.num_threads=" + threads, "-Dai.djl.pytorch.num_interop_threads=1"));
        return finish(cmd);
    }

    /**
     * {@code java … dev.hkd.experiments.cli.Hkd} with this JVM's thread settings, so a cell run in
     * it computes exactly what the same cell computes started alone with {@code ./hkd}.
     */
    static List<String> sameSettings() {
        List<String> cmd = javaCommand();
        for (String p : List.of("ai.djl.pytorch.num_threads", "ai.djl.pytorch.num_interop_threads")) {
            if (System.getProperty(p) != null) {
                cmd.add("-D" + p + "=" + System.getProperty(p));
            }
        }
        return finish(cmd);
    }

    private static List<String> javaCommand() {
        return new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path")));
    }

    private static List<String> finish(List<String> cmd) {
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream().filter(a -> a.startsWith("-Xmx")).forEach(cmd::add);
        for (String p : INHERITED) {
            if (System.getProperty(p) != null) {
                cmd.add("-D" + p + "=" + System.getProperty(p));
            }
        }
        cmd.add("dev.hkd.experiments.cli.Hkd");
        return cmd;
    }
}
