package dev.hkd.runner.tracking;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Where a run came from: code version, machine, library versions. */
public final class Provenance {

    /** The tag holding the run's intra-op thread count, which its CPU numbers depend on. */
    public static final String THREADS_TAG = "hkd.threads";

    /** The tag naming the processor, whose instruction set picks libtorch's kernels and so the numbers and times. */
    public static final String CPU_TAG = "hkd.cpu";

    private Provenance() {}

    /** Tags for a run of the configuration {@code configHash} on the data {@code dataFingerprint}. */
    public static Map<String, String> tags(String configHash, String dataFingerprint, long seed, Engine engine) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(RunDescription.HASH_TAG, configHash);
        String commit = gitCommit(codeLocation());
        tags.put("hkd.git_commit", commit);
        tags.put("mlflow.source.git.commit", commit);
        tags.put("hkd.host", host());
        tags.put(CPU_TAG, cpu());
        tags.put("hkd.djl_version", Engine.getDjlVersion());
        tags.put("hkd.engine", engine.getEngineName() + " " + engine.getVersion());
        tags.put("hkd.java", System.getProperty("java.version"));
        tags.put("hkd.dataset_fingerprint", dataFingerprint);
        tags.put("hkd.seed", Long.toString(seed));
        tags.put(THREADS_TAG, Integer.toString(dev.hkd.training.train.Engines.intraOpThreads()));
        tags.put("hkd.mkl_cbwr", System.getenv().getOrDefault("MKL_CBWR", "unset"));
        return tags;
    }

    /** The processor's model name (its instruction set picks oneMKL's and oneDNN's code paths), or the architecture. */
    static String cpu() {
        try {
            for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim() + " ("
                            + Runtime.getRuntime().availableProcessors() + " cores)";
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            // Not Linux, or no /proc: the architecture is all we know.
        }
        return System.getProperty("os.arch") + " (" + Runtime.getRuntime().availableProcessors() + " cores)";
    }

    public static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return System.getenv().getOrDefault("HOSTNAME", "unknown");
        }
    }

    /** The folder this code was loaded from (inside the project's clone when run by ./hkd), else the working folder. */
    private static Path codeLocation() {
        try {
            Path p = Path.of(Provenance.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            return java.nio.file.Files.isDirectory(p) ? p : p.getParent();
        } catch (RuntimeException | java.net.URISyntaxException e) {
            return Path.of("").toAbsolutePath();
        }
    }

    /** {@code git rev-parse HEAD} of the working folder, {@code -dirty} if it has changes; "unknown" outside git. */
    static String gitCommit(Path dir) {
        String head = git(dir, "rev-parse", "HEAD");
        if (head == null) {
            return "unknown";
        }
        String status = git(dir, "status", "--porcelain", "--untracked-files=no");
        return status != null && !status.isBlank() ? head + "-dirty" : head;
    }

    private static String git(Path dir, String... args) {
        try {
            String[] cmd = new String[args.length + 3];
            cmd[0] = "git";
            cmd[1] = "-C";
            cmd[2] = dir.toString();
            System.arraycopy(args, 0, cmd, 3, args.length);
            Process p = new ProcessBuilder(cmd)
                    .redirectErrorStream(false)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return null;
            }
            return new String(out, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
