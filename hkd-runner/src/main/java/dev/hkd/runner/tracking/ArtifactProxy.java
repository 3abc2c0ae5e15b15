package dev.hkd.runner.tracking;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Uploads files through a tracking server's artifact proxy ({@code mlflow server} serves
 * {@code mlflow-artifacts:} URIs by default). The Java client's own artifact upload shells out to
 * Python's mlflow package, which a JVM user should not need.
 */
final class ArtifactProxy {

    private static final String SCHEME = "mlflow-artifacts:";
    private final TrackingServer server;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    ArtifactProxy(TrackingServer server) {
        this.server = server;
    }

    /** Whether the run's artifacts go through the proxy (rather than to a store the server does not serve). */
    static boolean proxied(String artifactUri) {
        return artifactUri.startsWith(SCHEME);
    }

    /** Puts {@code file} at {@code name} below the run's artifact root; replaces what was there. */
    void upload(String artifactUri, Path file, String name) throws IOException {
        String root = URI.create(artifactUri).getPath().replaceFirst("^/+", "");
        String path = Arrays.stream((root + "/" + name).split("/"))
                .map(s -> URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20"))
                .collect(Collectors.joining("/"));
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create(server.address() + "/api/2.0/mlflow-artifacts/artifacts/" + path))
                .timeout(Duration.ofMinutes(10))
                .PUT(HttpRequest.BodyPublishers.ofFile(file));
        String auth = server.authorization();
        if (auth != null) {
            request.header("Authorization", auth);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IOException("artifact upload of " + name + " answered HTTP " + response.statusCode());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("artifact upload interrupted", e);
        }
    }
}
