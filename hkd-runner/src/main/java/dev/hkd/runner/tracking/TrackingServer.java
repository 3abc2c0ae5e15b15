package dev.hkd.runner.tracking;

import dev.hkd.training.config.ConfigException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.creds.BasicMlflowHostCreds;

/**
 * An MLflow tracking server: its address and credentials. Credentials come from the URI's user
 * info or from {@code MLFLOW_TRACKING_TOKEN} / {@code MLFLOW_TRACKING_USERNAME} +
 * {@code MLFLOW_TRACKING_PASSWORD}; they are never printed: {@link #toString()} is the address
 * without them.
 */
public final class TrackingServer {

    private final String address;
    private final String username;
    private final String password;
    private final String token;

    private TrackingServer(String address, String username, String password, String token) {
        this.address = address;
        this.username = username;
        this.password = password;
        this.token = token;
    }

    /**
     * The server named by {@code --tracking-uri} (may be null) or else {@code MLFLOW_TRACKING_URI};
     * empty when neither is set (runs are tracked in their local store only).
     */
    public static Optional<TrackingServer> resolve(String option, Map<String, String> environment) {
        String uri = option != null && !option.isBlank() ? option : environment.get("MLFLOW_TRACKING_URI");
        if (uri == null || uri.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(parse(uri.trim(), environment));
    }

    static TrackingServer parse(String uri, Map<String, String> environment) {
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException e) {
            throw new ConfigException("tracking URI '" + redact(uri) + "' is not a URI; expected http://HOST:PORT or https://…");
        }
        if (!"http".equals(parsed.getScheme()) && !"https".equals(parsed.getScheme())) {
            throw new ConfigException("tracking URI '" + redact(uri) + "': the MLflow Java client talks to a tracking server over"
                    + " http(s) (e.g. http://127.0.0.1:5000); without one, runs are tracked in their local store and './hkd sync' sends them later");
        }
        String user = environment.get("MLFLOW_TRACKING_USERNAME");
        String pass = environment.get("MLFLOW_TRACKING_PASSWORD");
        if (parsed.getUserInfo() != null) {
            String[] parts = parsed.getUserInfo().split(":", 2);
            user = parts[0];
            pass = parts.length > 1 ? parts[1] : "";
        }
        String address;
        try {
            address = new URI(parsed.getScheme(), null, parsed.getHost(), parsed.getPort(), parsed.getPath(), null, null).toString()
                    .replaceAll("/+$", "");
        } catch (URISyntaxException e) {
            throw new ConfigException("tracking URI '" + redact(uri) + "' is not a URI");
        }
        return new TrackingServer(address, user, pass, environment.get("MLFLOW_TRACKING_TOKEN"));
    }

    /** A URI with any user info replaced by {@code ***}. */
    public static String redact(String uri) {
        return uri.replaceFirst("//[^/@]*@", "//***@");
    }

    public String address() {
        return address;
    }

    /** A client of the server's REST API. */
    public MlflowClient client() {
        if (token != null && !token.isBlank()) {
            return new MlflowClient(new BasicMlflowHostCreds(address, token));
        }
        if (username != null) {
            return new MlflowClient(new BasicMlflowHostCreds(address, username, password));
        }
        return new MlflowClient(new BasicMlflowHostCreds(address));
    }

    /** The {@code Authorization} header value for requests outside the client (artifact uploads), or null. */
    String authorization() {
        if (token != null && !token.isBlank()) {
            return "Bearer " + token;
        }
        if (username != null) {
            return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return null;
    }

    @Override
    public String toString() {
        return address;
    }
}
