package dev.hkd.experiments.tracking;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real services of the integration tests: an MLflow tracking server and a one-node Slurm
 * cluster on loopback. A service that is already running ({@code MLFLOW_TRACKING_URI} answers,
 * {@code SLURM_CONF} names a live cluster) is used as it is; otherwise {@code scripts/services.sh}
 * installs and starts one, and it is stopped when the test JVM ends — only what was started here.
 */
public final class RealServices {

    private static final Path ROOT =
            Path.of(System.getProperty("hkd.repo.root", "..")).toAbsolutePath().normalize();
    private static final Path STATE = ROOT.resolve("hkd-experiments/target/services");
    private static String mlflow;
    private static String slurmConf;

    private RealServices() {}

    /** The shared tracking server's URI. */
    public static synchronized String mlflow() {
        if (mlflow == null) {
            String existing = System.getenv("MLFLOW_TRACKING_URI");
            if (existing != null && healthy(existing)) {
                mlflow = existing;
            } else {
                mlflow = startMlflow(STATE.resolve("mlflow"), freePort());
                Runtime.getRuntime().addShutdownHook(new Thread(() -> stopMlflow(STATE.resolve("mlflow"))));
            }
        }
        return mlflow;
    }

    /** A tracking server of the test's own (to stop and restart), with its state in {@code dir}. */
    public static String startMlflow(Path dir, int port) {
        return script("mlflow-start", dir.toString(), Integer.toString(port));
    }

    /**
     * A tracking server that keeps artifacts at {@code artifactRoot} (a folder or e.g. an
     * {@code s3://} URI) and does not serve them: {@code --no-serve-artifacts}.
     */
    public static String startMlflowWithoutArtifactProxy(Path dir, int port, String artifactRoot) {
        return script("mlflow-start", dir.toString(), Integer.toString(port), artifactRoot);
    }

    public static void stopMlflow(Path dir) {
        script("mlflow-stop", dir.toString());
    }

    /** {@code SLURM_CONF} of a running one-node cluster. */
    public static synchronized String slurm() {
        if (slurmConf == null) {
            String existing = System.getenv("SLURM_CONF");
            if (existing != null && Files.isRegularFile(Path.of(existing)) && sinfoAnswers(existing)) {
                slurmConf = existing;
            } else {
                Path dir = STATE.resolve("slurm");
                slurmConf = script("slurm-start", dir.toString());
                Runtime.getRuntime().addShutdownHook(new Thread(() -> script("slurm-stop", dir.toString())));
            }
        }
        return slurmConf;
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean healthy(String uri) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(uri + "/health"))
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200;
        } catch (IOException | IllegalArgumentException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean sinfoAnswers(String conf) {
        try {
            ProcessBuilder b = new ProcessBuilder("sinfo", "-h").redirectErrorStream(true);
            b.environment().put("SLURM_CONF", conf);
            Process p = b.start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String script(String... args) {
        try {
            List<String> cmd = new java.util.ArrayList<>(
                    List.of(ROOT.resolve("scripts/services.sh").toString()));
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException(
                        "scripts/services.sh " + String.join(" ", args) + " failed (see its message above)");
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
