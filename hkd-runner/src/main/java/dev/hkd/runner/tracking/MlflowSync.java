package dev.hkd.runner.tracking;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hkd.training.io.RunFolder;
import dev.hkd.training.train.EpochRecord;
import dev.hkd.training.train.MetricsLog;
import dev.hkd.training.train.RunCost;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.mlflow.api.proto.Service.CreateRun;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.Param;
import org.mlflow.api.proto.Service.Run;
import org.mlflow.api.proto.Service.RunInfo;
import org.mlflow.api.proto.Service.RunStatus;
import org.mlflow.api.proto.Service.RunTag;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowClientException;

/**
 * Brings a tracking server up to date with one run folder, idempotently: finds or creates the
 * experiment and the run (one server run per local run folder, tied by {@link RunDescription#UID_TAG}), logs the parameters it lacks, sets the
 * tags, sends every (metric, epoch) point of {@code metrics.jsonl} the server does not have, and
 * once the run has finished uploads its artifacts and marks it FINISHED. Whatever was interrupted
 * (a killed process, an unreachable server) is completed by the next call, and nothing is sent
 * twice: the server's own metric history decides what is missing.
 */
public final class MlflowSync {

    /**
     * What a call did. {@code artifactsNotSent} says why a finished run's files did not reach the
     * server's artifact store, and how to get them there; null when they did (or the run is unfinished).
     */
    public record Report(String runId, boolean created, int pointsSent, boolean finished, String artifactsNotSent) {}

    /** Tag set on a finished run whose artifacts could not be stored, with the reason. */
    public static final String ARTIFACTS_NOT_SENT_TAG = "hkd.artifacts_not_sent";

    /** Where a run folder's server-side run is, kept in {@code mlflow-run.json}. */
    record Link(String server, String experimentId, String runId, boolean artifactsUploaded) {}

    public static final String LINK_FILE = "mlflow-run.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_METRICS_PER_BATCH = 1000;
    private static final int MAX_PARAMS_PER_BATCH = 100;

    private final TrackingServer server;
    private final MlflowClient client;
    private final ArtifactProxy artifacts;
    private final boolean uploadCheckpoint;

    public MlflowSync(TrackingServer server, MlflowClient client, boolean uploadCheckpoint) {
        this.server = server;
        this.client = client;
        this.artifacts = new ArtifactProxy(server);
        this.uploadCheckpoint = uploadCheckpoint;
    }

    /**
     * Syncs {@code runDir} (which holds {@code tracking.json}).
     *
     * @throws MlflowClientException when the server cannot be reached or refuses a request
     */
    public Report sync(Path runDir) {
        RunDescription description = RunDescription.read(runDir);
        Link link = readLink(runDir);
        boolean created = false;
        Run run = null;
        if (link != null && link.server().equals(server.address())) {
            run = existingRun(link.runId());
        }
        if (run == null) {
            String experimentId = experimentId(description.experiment());
            RunInfo info = findByUid(experimentId, description.uid()).orElse(null);
            if (info == null) {
                info = client.createRun(CreateRun.newBuilder()
                        .setExperimentId(experimentId)
                        .setRunName(description.runName())
                        .setStartTime(System.currentTimeMillis())
                        .addTags(RunTag.newBuilder()
                                .setKey(RunDescription.UID_TAG)
                                .setValue(description.uid()))
                        .build());
                created = true;
            }
            link = new Link(server.address(), experimentId, info.getRunId(), false);
            writeLink(runDir, link);
            run = client.getRun(info.getRunId());
        }
        String runId = run.getInfo().getRunId();
        logParams(runId, description.params(), run);
        logTags(runId, description.tags(), run);
        RunFolder folder = new RunFolder(runDir);
        List<EpochRecord> epochs = new MetricsLog(folder.metrics()).read();
        boolean finished = folder.isFinished();
        int sent = sendMissingMetrics(runId, epochs, finished ? readCost(folder.result()) : null);
        if (!finished && folder.hasDiverged()) {
            // Diverged: the server learns why, and the run ends as FAILED.
            if (run.getInfo().getStatus() != RunStatus.FAILED) {
                String reason = readReason(folder.failed());
                client.logBatch(
                        runId,
                        List.of(),
                        List.of(),
                        List.of(RunTag.newBuilder()
                                .setKey("hkd.failure")
                                .setValue(reason.length() > 5000 ? reason.substring(0, 5000) : reason)
                                .build()));
                client.setTerminated(runId, RunStatus.FAILED, System.currentTimeMillis());
            }
        }
        String notSent = null;
        if (finished) {
            if (!link.artifactsUploaded()) {
                notSent = storeArtifacts(runDir, runId, run.getInfo().getArtifactUri());
                if (notSent == null) {
                    link = new Link(link.server(), link.experimentId(), runId, true);
                    writeLink(runDir, link);
                }
            }
            // Finished is finished, whether or not the server could take the files.
            if (run.getInfo().getStatus() != RunStatus.FINISHED) {
                client.setTerminated(runId, RunStatus.FINISHED, System.currentTimeMillis());
            }
        }
        return new Report(runId, created, sent, finished, notSent);
    }

    private Run existingRun(String runId) {
        try {
            Run run = client.getRun(runId);
            return "active".equals(run.getInfo().getLifecycleStage()) ? run : null;
        } catch (org.mlflow.tracking.MlflowHttpException gone) {
            // Deleted on the server (or another server at the same address): look it up by its uid.
            return null;
        }
    }

    private String experimentId(String name) {
        Optional<String> existing = findExperiment(client, name);
        if (existing.isPresent()) {
            return existing.get();
        }
        try {
            return client.createExperiment(name);
        } catch (org.mlflow.tracking.MlflowHttpException raced) {
            // Another worker created it between our lookup and our create.
            return findExperiment(client, name).orElseThrow(() -> raced);
        }
    }

    /**
     * The id of the experiment called {@code name}, if there is one. A search answers an absent
     * experiment with an empty page; the client's get-by-name answers it with HTTP 404, which the
     * client retries and logs as "Rate limit exceeded" before giving up.
     */
    public static Optional<String> findExperiment(MlflowClient client, String name) {
        String filter = "name = '" + name.replace("\\", "\\\\").replace("'", "\\'") + "'";
        return client
                .searchExperiments(filter, org.mlflow.api.proto.Service.ViewType.ALL, 10, List.of())
                .getItems()
                .stream()
                .filter(e -> e.getName().equals(name))
                .map(e -> e.getExperimentId())
                .findFirst();
    }

    private Optional<RunInfo> findByUid(String experimentId, String uid) {
        List<RunInfo> runs =
                client.searchRuns(List.of(experimentId), "tags.`" + RunDescription.UID_TAG + "` = '" + uid + "'");
        return runs.stream().min(java.util.Comparator.comparingLong(RunInfo::getStartTime));
    }

    private void logParams(String runId, Map<String, String> params, Run run) {
        Set<String> present = new HashSet<>();
        run.getData().getParamsList().forEach(p -> present.add(p.getKey()));
        List<Param> missing = new ArrayList<>();
        params.forEach((k, v) -> {
            if (!present.contains(k)) {
                missing.add(Param.newBuilder().setKey(k).setValue(v).build());
            }
        });
        for (int i = 0; i < missing.size(); i += MAX_PARAMS_PER_BATCH) {
            client.logBatch(
                    runId,
                    List.of(),
                    missing.subList(i, Math.min(missing.size(), i + MAX_PARAMS_PER_BATCH)),
                    List.of());
        }
    }

    private void logTags(String runId, Map<String, String> tags, Run run) {
        Map<String, String> present = new LinkedHashMap<>();
        run.getData().getTagsList().forEach(t -> present.put(t.getKey(), t.getValue()));
        List<RunTag> changed = new ArrayList<>();
        tags.forEach((k, v) -> {
            if (!v.equals(present.get(k))) {
                changed.add(RunTag.newBuilder().setKey(k).setValue(v).build());
            }
        });
        if (!changed.isEmpty()) {
            client.logBatch(runId, List.of(), List.of(), changed);
        }
    }

    private int sendMissingMetrics(String runId, List<EpochRecord> records, RunCost cost) {
        Map<String, Set<Long>> present = new LinkedHashMap<>();
        List<Metric> missing = new ArrayList<>();
        for (EpochRecord r : records) {
            long timestamp = r.endedAtMillis() > 0 ? r.endedAtMillis() : System.currentTimeMillis();
            addMissing(runId, EpochMetrics.of(r), r.epoch(), timestamp, present, missing);
        }
        if (cost != null && !records.isEmpty()) {
            EpochRecord last = records.get(records.size() - 1);
            addMissing(runId, EpochMetrics.of(cost), last.epoch(), last.endedAtMillis(), present, missing);
        }
        for (int i = 0; i < missing.size(); i += MAX_METRICS_PER_BATCH) {
            client.logBatch(
                    runId,
                    missing.subList(i, Math.min(missing.size(), i + MAX_METRICS_PER_BATCH)),
                    List.of(),
                    List.of());
        }
        return missing.size();
    }

    private void addMissing(
            String runId,
            Map<String, Double> metrics,
            long step,
            long timestamp,
            Map<String, Set<Long>> present,
            List<Metric> missing) {
        metrics.forEach((key, value) -> {
            Set<Long> steps = present.computeIfAbsent(key, k -> history(runId, k));
            if (steps.add(step)) {
                missing.add(Metric.newBuilder()
                        .setKey(key)
                        .setValue(value)
                        .setStep(step)
                        .setTimestamp(timestamp > 0 ? timestamp : System.currentTimeMillis())
                        .build());
            }
        });
    }

    /** The cost a finished run's {@code result.json} records; null in runs written before it was recorded. */
    private static RunCost readCost(Path resultFile) {
        try {
            ObjectMapper json = new ObjectMapper();
            var node = json.readTree(resultFile.toFile()).get("cost");
            return node == null || node.isNull() ? null : json.treeToValue(node, RunCost.class);
        } catch (IOException e) {
            throw new UncheckedIOException(resultFile + ": " + e.getMessage(), e);
        }
    }

    private Set<Long> history(String runId, String key) {
        Set<Long> steps = new HashSet<>();
        client.getMetricHistory(runId, key).forEach(m -> steps.add(m.getStep()));
        return steps;
    }

    /**
     * Puts the run's files where the server keeps its artifacts: through its artifact proxy, or,
     * when it serves none ({@code --no-serve-artifacts}), into its artifact folder if the user named
     * the root that folder lies in ({@code --artifact-root}; {@link LocalArtifactRoot} says when a
     * location is refused). Otherwise tags the run with the reason and returns it.
     */
    private String storeArtifacts(Path runDir, String runId, String artifactUri) {
        List<String> files = new ArrayList<>(RunFolder.RECORDS);
        if (uploadCheckpoint) {
            files.add(RunFolder.LAST_CHECKPOINT);
            files.add(RunFolder.BEST_CHECKPOINT);
        }
        files.removeIf(name -> !Files.isRegularFile(runDir.resolve(name)));
        String reason;
        try {
            if (ArtifactProxy.proxied(artifactUri)) {
                for (String name : files) {
                    artifacts.upload(artifactUri, runDir.resolve(name), name);
                }
                return null;
            }
            if (server.artifactRoot() == null) {
                reason = "the server keeps artifacts at " + TrackingServer.redact(artifactUri)
                        + " and does not serve them"
                        + " (--no-serve-artifacts); the files stay in " + runDir
                        + " (start the server with artifact serving, or"
                        + " name that folder's root with --artifact-root DIR to have them copied there, then ./hkd sync)";
            } else {
                try {
                    LocalArtifactRoot.copy(
                            runDir, files, LocalArtifactRoot.folderInside(server.artifactRoot(), artifactUri));
                    return null;
                } catch (dev.hkd.training.config.ConfigException refused) {
                    reason = refused.getMessage() + "; the files stay in " + runDir;
                }
            }
        } catch (IOException e) {
            throw new MlflowClientException(e);
        }
        client.logBatch(
                runId,
                List.of(),
                List.of(),
                List.of(RunTag.newBuilder()
                        .setKey(ARTIFACTS_NOT_SENT_TAG)
                        .setValue(reason.length() > 5000 ? reason.substring(0, 5000) : reason)
                        .build()));
        return reason;
    }

    private static String readReason(Path failed) {
        try {
            return JSON.readTree(failed.toFile()).path("reason").asText("diverged");
        } catch (IOException e) {
            return "diverged";
        }
    }

    static Link readLink(Path runDir) {
        Path file = runDir.resolve(LINK_FILE);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return JSON.readValue(file.toFile(), Link.class);
        } catch (IOException torn) {
            // Rewritten below from the server's own record.
            return null;
        }
    }

    private static void writeLink(Path runDir, Link link) {
        try {
            Path tmp = runDir.resolve(LINK_FILE + ".tmp");
            JSON.writeValue(tmp.toFile(), link);
            Files.move(
                    tmp,
                    runDir.resolve(LINK_FILE),
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
