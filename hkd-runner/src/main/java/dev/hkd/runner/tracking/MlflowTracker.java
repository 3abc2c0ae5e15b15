package dev.hkd.runner.tracking;

import dev.hkd.training.train.EpochRecord;
import dev.hkd.training.train.TrainingListener;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.mlflow.tracking.MlflowClient;

/**
 * Sends a run to MLflow while it trains. The local store ({@code metrics.jsonl}) is written
 * first; after it, each epoch end asks for a {@link MlflowSync} on a background thread, so a slow
 * or unreachable server never holds training up. While the server is unreachable metrics stay
 * local and the next sync that gets through sends all that is missing; {@code ./hkd sync} does
 * the same after the run.
 */
public final class MlflowTracker implements TrainingListener, AutoCloseable {

    private final TrackingServer server;
    private final Path runDir;
    private final PrintStream out;
    private final MlflowClient client;
    private final MlflowSync sync;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "mlflow-sync");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean queued = new AtomicBoolean();
    private volatile boolean unreachable;
    private volatile boolean toldArtifacts;

    public MlflowTracker(TrackingServer server, Path runDir, boolean uploadCheckpoint, PrintStream out) {
        this.server = server;
        this.runDir = runDir;
        this.out = out;
        this.client = server.client();
        this.sync = new MlflowSync(server, client, uploadCheckpoint);
    }

    /** Creates the run on the server (or finds it) before training starts. */
    public void start() {
        request();
    }

    @Override
    public void onEpochEnd(EpochRecord record) {
        request();
    }

    /** A last sync after the run finished, waiting for it up to {@code seconds}; true if the server has everything. */
    public boolean finish(long seconds) {
        Future<Boolean> last = worker.submit(this::syncNow);
        try {
            return last.get(seconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            out.printf(
                    "mlflow: %s did not answer within %d s; the run is complete in %s, send it with ./hkd sync%n",
                    server, seconds, runDir);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            return false;
        }
    }

    private void request() {
        // One sync waiting is enough: it sends everything logged by the time it runs.
        if (queued.compareAndSet(false, true)) {
            worker.submit(() -> {
                queued.set(false);
                return syncNow();
            });
        }
    }

    private boolean syncNow() {
        try {
            MlflowSync.Report report = sync.sync(runDir);
            if (report.artifactsNotSent() != null && !toldArtifacts) {
                out.printf("mlflow: artifacts not sent: %s%n", report.artifactsNotSent());
                toldArtifacts = true;
            }
            if (unreachable) {
                out.printf("mlflow: %s reachable again; sent %d metric points%n", server, report.pointsSent());
                unreachable = false;
            }
            return true;
        } catch (RuntimeException e) {
            if (!unreachable) {
                String what = answered(e) ? "answered with an error" : "is unreachable";
                out.printf(
                        "mlflow: %s %s (%s); training goes on, metrics stay in %s and are sent when it"
                                + " accepts them (or by ./hkd sync)%n",
                        server, what, oneLine(e), runDir);
                unreachable = true;
            }
            return false;
        }
    }

    /** Whether the server answered (with an HTTP error) rather than not at all. */
    static boolean answered(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof org.mlflow.tracking.MlflowHttpException) {
                return true;
            }
        }
        return false;
    }

    /** The root cause of a failure in one line, any credentials in a URI masked. */
    public static String oneLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return TrackingServer.redact(message.lines().findFirst().orElse("").trim());
    }

    @Override
    public void close() {
        worker.shutdownNow();
        client.close();
    }
}
