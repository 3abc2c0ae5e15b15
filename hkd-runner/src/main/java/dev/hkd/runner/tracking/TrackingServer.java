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
 * without them, and every line that may hold a URI goes through {@link #redact}.
 *
 * <p>Where the server keeps artifacts it does not serve is the server's word; writing there
 * directly is the user's choice: only into the folder named by {@code --artifact-root}
 * ({@link #withArtifactRoot}), never elsewhere.
 */
public final class TrackingServer {

    private final String address;
    private final String username;
    private final String password;
    private final String token;
    private final java.nio.file.Path artifactRoot;

    private TrackingServer(
            String address, String username, String password, String token, java.nio.file.Path artifactRoot) {
        this.address = address;
        this.username = username;
        this.password = password;
        this.token = token;
        this.artifactRoot = artifactRoot;
    }

    /**
     * This server, allowed to have run files copied straight into its artifact store when that is a
     * folder inside {@code root} (null: never; files then go through the server's artifact proxy or not at all).
     */
    public TrackingServer withArtifactRoot(java.nio.file.Path root) {
        return new TrackingServer(address, username, password, token, root);
    }

    /** The folder {@code --artifact-root} named, or null. */
    public java.nio.file.Path artifactRoot() {
        return artifactRoot;
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
            throw new ConfigException(
                    "tracking URI '" + redact(uri) + "' is not a URI; expected http://HOST:PORT or https://…");
        }
        if (!"http".equals(parsed.getScheme()) && !"https".equals(parsed.getScheme())) {
            throw new ConfigException(
                    "tracking URI '" + redact(uri) + "': the MLflow Java client talks to a tracking server over"
                            + " http(s) (e.g. http://127.0.0.1:5000); without one, runs are tracked in their local store and './hkd sync' sends them later");
        }
        if (parsed.getHost() == null || parsed.getHost().isEmpty()) {
            throw new ConfigException(
                    "tracking URI '" + redact(uri) + "' names no host; expected http://HOST:PORT (a user name or"
                            + " password holding '/', '@', ':', '?' or '#' must be percent-encoded: %2F, %40, %3A, %3F, %23)");
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
            address = new URI(
                            parsed.getScheme(), null, parsed.getHost(), parsed.getPort(), parsed.getPath(), null, null)
                    .toString()
                    .replaceAll("/+$", "");
        } catch (URISyntaxException e) {
            throw new ConfigException("tracking URI '" + redact(uri) + "' is not a URI");
        }
        return new TrackingServer(address, user, pass, environment.get("MLFLOW_TRACKING_TOKEN"), null);
    }

    private static final java.util.regex.Pattern URI_IN_TEXT =
            java.util.regex.Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)([^\\s\"'<>`]*)");

    /**
     * The one redaction of credentials: {@code text} with the user info of every URI in it replaced
     * by {@code ***}. The user info is what a URI parser takes for it ({@code http://u:p@h/x@y} →
     * {@code http://***@h/x@y}); where the parser finds none but an {@code @} follows — a password
     * with a {@code /} or {@code @} that was not percent-encoded ({@code http://alice:top/secret@h}) —
     * everything up to the last {@code @} of the URI goes, since the parser cannot say where the secret ends.
     */
    public static String redact(String text) {
        if (text == null) {
            return null;
        }
        java.util.regex.Matcher m = URI_IN_TEXT.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String rest = m.group(2);
            String redacted = rest;
            if (rest.indexOf('@') >= 0) {
                String info = null;
                try {
                    URI parsed = new URI(m.group(1) + rest);
                    info = parsed.getHost() != null ? parsed.getRawUserInfo() : null;
                } catch (URISyntaxException unparsable) {
                    // below: up to the last '@'
                }
                redacted = info != null && rest.startsWith(info + "@")
                        ? "***" + rest.substring(info.length())
                        : "***" + rest.substring(rest.lastIndexOf('@'));
            }
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(m.group(1) + redacted));
        }
        m.appendTail(out);
        return out.toString();
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
            return "Basic "
                    + Base64.getEncoder()
                            .encodeToString(
                                    (username + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return null;
    }

    @Override
    public String toString() {
        return address;
    }
}
