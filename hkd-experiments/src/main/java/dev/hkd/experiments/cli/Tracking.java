package dev.hkd.experiments.cli;

import dev.hkd.runner.tracking.TrackingServer;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The tracking options that {@code train}, {@code run} and {@code sync} share (a picocli mixin):
 * the server of {@code --tracking-uri} (else {@code $MLFLOW_TRACKING_URI}), whether finished runs'
 * checkpoints go with them, and the artifact root of {@code --artifact-root}.
 */
final class Tracking {

    @Option(
            names = "--tracking-uri",
            paramLabel = "URL",
            description = "MLflow tracking server (default $MLFLOW_TRACKING_URI; none: the local run store only)")
    String trackingUri;

    @Option(names = "--log-checkpoint", description = "upload each finished run's checkpoints to MLflow as artifacts")
    boolean logCheckpoint;

    @Option(
            names = "--artifact-root",
            paramLabel = "DIR",
            description = "for a tracking server that does not serve its artifacts: copy them straight into its"
                    + " artifact folder, which must lie inside DIR (default: never)")
    Path artifactRoot;

    /** The server, or null for the local store only; {@code --artifact-root} without a server is refused. */
    TrackingServer server() {
        TrackingServer server =
                TrackingServer.resolve(trackingUri, System.getenv()).orElse(null);
        if (artifactRoot == null) {
            return server;
        }
        if (server == null) {
            throw new IllegalArgumentException(
                    "--artifact-root " + artifactRoot + ": there is no tracking server (--tracking-uri or"
                            + " MLFLOW_TRACKING_URI) whose artifacts it would hold");
        }
        if (!Files.isDirectory(artifactRoot)) {
            throw new IllegalArgumentException("--artifact-root " + artifactRoot + ": no such folder");
        }
        return server.withArtifactRoot(artifactRoot.toAbsolutePath().normalize());
    }
}
