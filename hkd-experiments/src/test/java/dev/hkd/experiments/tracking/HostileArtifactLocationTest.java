package dev.hkd.experiments.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tracking server that lies about where a run's artifacts go: a proxy in front of a real MLflow
 * server (no artifact proxy) rewrites every {@code artifact_uri} it answers with. Whatever it
 * names — another run folder, one inside the artifact root the user named, the root that holds
 * one, a link out of the root — {@code ./hkd sync} never writes there: the metrics are sent, the
 * files stay home, and one line says why. Only a fresh folder inside the named root receives them.
 */
class HostileArtifactLocationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aServerCannotChooseWhereLocalFilesAreWritten() throws Exception {
        Path state = dir.resolve("mlflow");
        Path root = Files.createDirectories(dir.resolve("artifact-root"));
        String real = RealServices.startMlflowWithoutArtifactProxy(state, RealServices.freePort(), root.toString());
        AtomicReference<String> lie = new AtomicReference<>();
        HttpServer proxy = rewritingProxy(real, lie);
        String uri = "http://127.0.0.1:" + proxy.getAddress().getPort();
        try {
            Path mine = dir.resolve("mine");
            Path config = Files.writeString(dir.resolve("run.yaml"), """
                    seed: 5
                    data: {dataset: fashion-mnist-subset, augment: none, train_limit: 128}
                    student: {model: tiny_cnn}
                    method: {name: vanilla}
                    training: {schedule: {epochs: 1}, batch_size: 64}
                    output: %s
                    """.formatted(mine));
            HkdChild.run(dir.resolve("train.log"), Map.of(), 10, "train", config.toString());
            Path victim = copy(mine, dir.resolve("victim"));
            Path victimInRoot = copy(mine, root.resolve("exp/victim"));
            Files.createSymbolicLink(root.resolve("link"), victim);
            Map<String, String> before = digests(dir);

            Map<String, String> hostile = Map.of(
                    victim.toUri().toString(),
                    "is not inside " + root,
                    victimInRoot.toUri().toString(),
                    "is a run folder",
                    victimInRoot.resolve("sub").toString(),
                    "lies in a run folder",
                    root.toUri().toString(),
                    "holds a run folder",
                    root.resolve("link").toUri().toString(),
                    "is not inside " + root,
                    root.resolve("../victim").toString(),
                    "is not inside " + root);
            int i = 0;
            for (Map.Entry<String, String> answer : hostile.entrySet()) {
                lie.set(answer.getKey());
                for (boolean named : new boolean[] {false, true}) {
                    String out = sync(dir.resolve("sync-" + i++ + ".log"), mine, uri, named ? root : null);
                    String expected = named ? answer.getValue() : "does not serve them";
                    assertEquals(
                            1,
                            out.lines()
                                    .filter(l -> l.contains("artifacts not sent") && l.contains(expected))
                                    .count(),
                            answer.getKey() + (named ? " with --artifact-root" : "") + ":\n" + out);
                    assertEquals(before, digests(dir), "a file changed after the server answered " + answer.getKey());
                }
            }

            // A fresh folder inside the named root is where the files may go.
            Path fresh = root.resolve("exp/run-1/artifacts");
            lie.set(fresh.toUri().toString());
            String synced = sync(dir.resolve("sync-fresh.log"), mine, uri, root);
            assertTrue(Files.isRegularFile(fresh.resolve("result.json")), synced);
            Map<String, String> after = digests(dir);
            after.keySet().removeIf(k -> k.startsWith(dir.relativize(fresh).toString()));
            assertEquals(before, after, "only the fresh artifact folder may change");
        } finally {
            proxy.stop(0);
            RealServices.stopMlflow(state);
        }
    }

    /** {@code hkd sync RUN --tracking-uri URI}, with {@code --artifact-root} when one is named; its console log. */
    private static String sync(Path log, Path run, String uri, Path artifactRoot) throws Exception {
        List<String> args = new ArrayList<>(List.of("sync", run.toString(), "--tracking-uri", uri));
        if (artifactRoot != null) {
            args.addAll(List.of("--artifact-root", artifactRoot.toString()));
        }
        HkdChild.run(log, Map.of(), 5, args.toArray(String[]::new));
        return Files.readString(log);
    }

    /** Forwards to {@code upstream}; every {@code artifact_uri} in a JSON answer becomes {@code lie}'s value. */
    private static HttpServer rewritingProxy(String upstream, AtomicReference<String> lie) throws IOException {
        HttpClient client = HttpClient.newHttpClient();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                forward(client, upstream, lie.get(), exchange);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
        return server;
    }

    private static void forward(HttpClient client, String upstream, String lie, HttpExchange exchange)
            throws IOException, InterruptedException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(upstream + exchange.getRequestURI()))
                .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        if (type != null) {
            request.header("Content-Type", type);
        }
        HttpResponse<byte[]> answer = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        byte[] out = answer.body();
        String answerType = answer.headers().firstValue("Content-Type").orElse("application/json");
        if (answerType.contains("json") && out.length > 0) {
            JsonNode tree = JSON.readTree(out);
            rewrite(tree, lie);
            out = JSON.writeValueAsBytes(tree);
        }
        exchange.getResponseHeaders().set("Content-Type", answerType);
        exchange.sendResponseHeaders(answer.statusCode(), out.length == 0 ? -1 : out.length);
        try (OutputStream os = exchange.getResponseBody()) {
            os.write(out);
        }
    }

    private static void rewrite(JsonNode node, String lie) {
        if (node instanceof ObjectNode object && object.has("artifact_uri")) {
            object.put("artifact_uri", lie);
        }
        node.forEach(child -> rewrite(child, lie));
    }

    private static Path copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                if (!f.getFileName().toString().endsWith(".safetensors")) {
                    Files.copy(f, to.resolve(f.getFileName()));
                }
            }
        }
        return to;
    }

    /**
     * Every regular file under {@code top} with its SHA-256, but the MLflow server's state, the logs
     * and the synced run's own folder (sync records its MLflow run there).
     */
    private static Map<String, String> digests(Path top) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(top)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String name = top.relativize(f).toString();
                if (name.startsWith("mlflow") || name.startsWith("mine") || name.endsWith(".log")) {
                    continue;
                }
                out.put(
                        name,
                        HexFormat.of()
                                .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f))));
            }
        }
        return out;
    }
}
