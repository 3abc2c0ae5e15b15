package dev.hkd.experiments.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hkd.runner.tracking.MlflowSync;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MLflow as people often deploy it: its own artifact store and no artifact proxy
 * ({@code mlflow server --default-artifact-root DIR --no-serve-artifacts}). A run that finishes
 * locally ends FINISHED with every metric; its files go into DIR when the user named its root
 * ({@code --artifact-root}: where local files are written is never the server's choice alone) and
 * this machine can write it, and otherwise a tag and one console line say why they were not sent. No misleading
 * "unreachable" and no client retry noise.
 */
class UnproxiedArtifactsTest {

    @TempDir
    Path dir;

    private Path config(Path output) throws Exception {
        return Files.writeString(dir.resolve("run.yaml"), """
                seed: 5
                data: {dataset: fashion-mnist-subset, augment: none, train_limit: 256}
                student: {model: tiny_cnn}
                method: {name: vanilla}
                training: {schedule: {epochs: 2}, batch_size: 64}
                output: %s
                """.formatted(output));
    }

    /** {@code hkd train} of the tiny config into {@code output}, tracked in {@code experiment}; its console log. */
    private String trainTracked(Path output, String uri, String experiment, String... more) throws Exception {
        Path log = dir.resolve("train.log");
        List<String> args = new java.util.ArrayList<>(
                List.of("train", config(output).toString(), "--tracking-uri", uri, "--experiment", experiment));
        args.addAll(List.of(more));
        HkdChild.run(log, Map.of(), 10, args.toArray(String[]::new));
        return Files.readString(log);
    }

    /** {@code hkd sync OUTPUT --tracking-uri URI --artifact-root ROOT}; its console log. */
    private String sync(Path output, String uri, Path artifactRoot) throws Exception {
        Path log = dir.resolve("sync.log");
        HkdChild.run(
                log,
                Map.of(),
                5,
                "sync",
                output.toString(),
                "--tracking-uri",
                uri,
                "--artifact-root",
                artifactRoot.toString());
        return Files.readString(log);
    }

    private static String experiment(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static void assertNoNoise(String log) {
        assertFalse(log.contains("unreachable"), log);
        assertFalse(log.contains("Retrying"), log);
        assertFalse(log.contains("answered with an error"), log);
    }

    @Test
    void aWritableArtifactRootReceivesTheFilesAndTheRunFinishes() throws Exception {
        Path state = dir.resolve("mlflow");
        Path artifactRoot = dir.resolve("artifact-store");
        Files.createDirectories(artifactRoot);
        String uri =
                RealServices.startMlflowWithoutArtifactProxy(state, RealServices.freePort(), artifactRoot.toString());
        try {
            Path output = dir.resolve("out");
            String experiment = experiment("unproxied");
            assertNoNoise(trainTracked(output, uri, experiment, "--artifact-root", artifactRoot.toString()));

            MlflowRest rest = new MlflowRest(uri);
            JsonNode run = rest.runs(experiment).get(0);
            String id = run.path("info").path("run_id").asText();
            assertEquals("FINISHED", run.path("info").path("status").asText());
            assertEquals(
                    List.of(1L, 2L),
                    rest.steps(id, "test_top1").stream().sorted().toList());
            Path files = artifactFolder(run);
            assertTrue(files.startsWith(artifactRoot), files.toString());
            for (String name : List.of("config.yaml", "metrics.jsonl", "result.json")) {
                assertEquals(Files.readString(output.resolve(name)), Files.readString(files.resolve(name)), name);
            }

            // A run that an older version left RUNNING, its files never stored: ./hkd sync finishes it.
            rest.setStatus(id, "RUNNING");
            ObjectMapper json = new ObjectMapper();
            ObjectNode link = (ObjectNode)
                    json.readTree(output.resolve(MlflowSync.LINK_FILE).toFile());
            link.put("artifactsUploaded", false);
            json.writeValue(output.resolve(MlflowSync.LINK_FILE).toFile(), link);
            for (String name : List.of("config.yaml", "metrics.jsonl", "result.json")) {
                Files.delete(files.resolve(name));
            }
            String syncLog = sync(output, uri, artifactRoot);
            assertNoNoise(syncLog);
            assertEquals(
                    "FINISHED",
                    rest.runs(experiment).get(0).path("info").path("status").asText());
            assertTrue(Files.isRegularFile(files.resolve("result.json")), syncLog);
            assertEquals(
                    List.of(1L, 2L),
                    rest.steps(id, "test_top1").stream().sorted().toList(),
                    "sent twice");
        } finally {
            RealServices.stopMlflow(state);
        }
    }

    @Test
    void aWritableArtifactRootGetsNothingUnlessTheUserNamesIt() throws Exception {
        Path state = dir.resolve("mlflow");
        Path artifactRoot = Files.createDirectories(dir.resolve("artifact-store"));
        String uri =
                RealServices.startMlflowWithoutArtifactProxy(state, RealServices.freePort(), artifactRoot.toString());
        try {
            Path output = dir.resolve("out");
            String experiment = experiment("not-opted-in");
            String out = trainTracked(output, uri, experiment);
            assertNoNoise(out);
            assertEquals(
                    1,
                    out.lines()
                            .filter(l -> l.contains("artifacts not sent") && l.contains("--artifact-root"))
                            .count(),
                    out);
            JsonNode run = new MlflowRest(uri).runs(experiment).get(0);
            assertEquals("FINISHED", run.path("info").path("status").asText());
            assertTrue(MlflowRest.pairs(run, "tags").containsKey(MlflowSync.ARTIFACTS_NOT_SENT_TAG), run.toString());
            try (var written = Files.walk(artifactRoot)) {
                assertTrue(
                        written.noneMatch(Files::isRegularFile), "a file was written into the server's artifact store");
            }
            // A root that does not hold the server's location is no permission either.
            Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
            String syncLog = sync(output, uri, elsewhere);
            assertTrue(syncLog.contains("is not inside " + elsewhere), syncLog);
            assertFalse(Files.isRegularFile(artifactFolder(run).resolve("result.json")));
        } finally {
            RealServices.stopMlflow(state);
        }
    }

    @Test
    void anArtifactRootThisMachineCannotWriteIsTaggedAndSaidOnce() throws Exception {
        Path state = dir.resolve("mlflow");
        String uri = RealServices.startMlflowWithoutArtifactProxy(
                state, RealServices.freePort(), "s3://hkd-test-bucket/artifacts");
        try {
            String experiment = experiment("s3");
            String out = trainTracked(dir.resolve("out"), uri, experiment);
            assertNoNoise(out);
            assertEquals(
                    1, out.lines().filter(l -> l.contains("artifacts not sent")).count(), out);
            assertTrue(out.contains("s3://hkd-test-bucket/artifacts") && out.contains("./hkd sync"), out);

            JsonNode run = new MlflowRest(uri).runs(experiment).get(0);
            assertEquals("FINISHED", run.path("info").path("status").asText());
            assertTrue(MlflowRest.pairs(run, "tags").containsKey(MlflowSync.ARTIFACTS_NOT_SENT_TAG), run.toString());
            assertEquals(
                    List.of(1L, 2L),
                    new MlflowRest(uri)
                            .steps(run.path("info").path("run_id").asText(), "train_loss").stream()
                                    .sorted()
                                    .toList());
        } finally {
            RealServices.stopMlflow(state);
        }
    }

    private static Path artifactFolder(JsonNode run) {
        String artifactUri = run.path("info").path("artifact_uri").asText();
        return artifactUri.startsWith("file:") ? Path.of(URI.create(artifactUri)) : Path.of(artifactUri);
    }
}
