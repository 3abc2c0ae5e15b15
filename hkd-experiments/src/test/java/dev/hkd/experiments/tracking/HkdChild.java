package dev.hkd.experiments.tracking;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** {@code hkd} in a process of its own (as a user runs it), with its own environment and log file. */
public final class HkdChild {

    private HkdChild() {}

    public static Process start(Path log, Map<String, String> environment, String... args) {
        return startAsUser(log, environment, 1, args);
    }

    /** As {@link #start(Path, Map, String...)} with {@code threads} intra-op threads; null leaves libtorch its default, as {@code ./hkd} does. */
    public static Process startAsUser(Path log, Map<String, String> environment, Integer threads, String... args) {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g",
                "-cp",
                System.getProperty("java.class.path"),
                "-Dai.djl.offline=true",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
        if (threads != null) {
            cmd.add("-Dai.djl.pytorch.num_threads=" + threads);
        }
        if (System.getProperty("DJL_CACHE_DIR") != null) {
            cmd.add("-DDJL_CACHE_DIR=" + System.getProperty("DJL_CACHE_DIR"));
        }
        cmd.add("dev.hkd.experiments.cli.Hkd");
        cmd.addAll(List.of(args));
        ProcessBuilder b = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        b.environment().remove("MLFLOW_TRACKING_URI");
        b.environment().putAll(environment);
        try {
            return b.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs to the end (at most {@code minutes}); fails the test with the log if the exit code is not 0. */
    public static void run(Path log, Map<String, String> environment, int minutes, String... args) throws Exception {
        Process p = start(log, environment, args);
        if (!p.waitFor(minutes, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("hkd " + String.join(" ", args) + " did not end within " + minutes + " min:\n"
                    + Files.readString(log));
        }
        if (p.exitValue() != 0) {
            throw new AssertionError(
                    "hkd " + String.join(" ", args) + " exited with " + p.exitValue() + ":\n" + Files.readString(log));
        }
    }
}
