package dev.hkd.experiments.cli;

import dev.hkd.runner.tracking.TrackingServer;
import java.nio.file.Path;

/** The tracking server of {@code --tracking-uri} (else {@code $MLFLOW_TRACKING_URI}) with the artifact root of {@code --artifact-root}. */
final class Tracking {

    private Tracking() {}

    /** The server, or null for the local store only; {@code --artifact-root} without a server is refused. */
    static TrackingServer server(String trackingUri, Path artifactRoot) {
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
        if (!java.nio.file.Files.isDirectory(artifactRoot)) {
            throw new IllegalArgumentException("--artifact-root " + artifactRoot + ": no such folder");
        }
        return server.withArtifactRoot(artifactRoot.toAbsolutePath().normalize());
    }
}
