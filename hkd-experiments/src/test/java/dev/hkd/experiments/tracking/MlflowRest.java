package dev.hkd.experiments.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a tracking server's REST API says, read the way any MLflow user would (not through our client code). */
final class MlflowRest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final String uri;
    private final HttpClient http = HttpClient.newHttpClient();

    MlflowRest(String uri) {
        this.uri = uri;
    }

    /** Every run of the experiment, as the server returns them ({@code info}, {@code data}). */
    List<JsonNode> runs(String experiment) {
        JsonNode e = get("/api/2.0/mlflow/experiments/get-by-name?experiment_name=" + enc(experiment));
        String id = e.path("experiment").path("experiment_id").asText();
        List<JsonNode> runs = new ArrayList<>();
        String token = null;
        do {
            String body = "{\"experiment_ids\":[\"" + id + "\"],\"max_results\":1000"
                    + (token == null ? "" : ",\"page_token\":\"" + token + "\"") + "}";
            JsonNode page = post("/api/2.0/mlflow/runs/search", body);
            page.path("runs").forEach(runs::add);
            token = page.hasNonNull("next_page_token")
                    ? page.get("next_page_token").asText()
                    : null;
        } while (token != null && !token.isEmpty());
        return runs;
    }

    /** The steps at which {@code key} was logged, in server order (duplicates kept). */
    List<Long> steps(String runId, String key) {
        List<Long> steps = new ArrayList<>();
        history(runId, key).forEach(m -> steps.add(m.path("step").asLong()));
        return steps;
    }

    List<JsonNode> history(String runId, String key) {
        List<JsonNode> points = new ArrayList<>();
        get("/api/2.0/mlflow/metrics/get-history?run_id=" + enc(runId) + "&metric_key=" + enc(key)
                        + "&max_results=25000")
                .path("metrics")
                .forEach(points::add);
        return points;
    }

    List<String> artifacts(String runId) {
        List<String> files = new ArrayList<>();
        get("/api/2.0/mlflow/artifacts/list?run_id=" + enc(runId))
                .path("files")
                .forEach(f -> files.add(f.path("path").asText()));
        return files;
    }

    /** Sets a run's status, as an older version of this project left it (e.g. RUNNING). */
    void setStatus(String runId, String status) {
        post("/api/2.0/mlflow/runs/update", "{\"run_id\":\"" + runId + "\",\"status\":\"" + status + "\"}");
    }

    static Map<String, String> pairs(JsonNode run, String field) {
        Map<String, String> out = new LinkedHashMap<>();
        run.path("data")
                .path(field)
                .forEach(p -> out.put(p.path("key").asText(), p.path("value").asText()));
        return out;
    }

    private JsonNode get(String path) {
        return send(HttpRequest.newBuilder(URI.create(uri + path)).GET().build());
    }

    private JsonNode post(String path, String body) {
        return send(HttpRequest.newBuilder(URI.create(uri + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    private JsonNode send(HttpRequest request) {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new AssertionError(request.uri() + " answered " + r.statusCode() + ": " + r.body());
            }
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError(request.uri() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
