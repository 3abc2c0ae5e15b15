package dev.hkd.runner.report;

import dev.hkd.runner.tracking.EpochMetrics;
import dev.hkd.runner.tracking.MlflowSync;
import dev.hkd.runner.tracking.Provenance;
import dev.hkd.runner.tracking.TrackingServer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.RunInfo;
import org.mlflow.api.proto.Service.RunStatus;
import org.mlflow.tracking.MlflowClient;

/** The FINISHED (and the FAILED, i.e. diverged) runs of an MLflow experiment, read back for a report. */
public final class MlflowRuns {

    private MlflowRuns() {}

    /** The ended runs whose params have every {@code where} value. */
    public static List<FinishedRun> read(TrackingServer server, String experiment, Map<String, String> where) {
        try (MlflowClient client = server.client()) {
            String id = MlflowSync.findExperiment(client, experiment)
                    .orElseThrow(() -> new IllegalArgumentException(
                            "experiment '" + experiment + "' does not exist on " + server));
            List<FinishedRun> runs = new ArrayList<>();
            for (RunInfo info : client.searchRuns(List.of(id), "attributes.status != 'RUNNING'")) {
                boolean diverged = info.getStatus() == RunStatus.FAILED;
                if (info.getStatus() != RunStatus.FINISHED && !diverged) {
                    continue;
                }
                Map<String, String> params = new HashMap<>();
                Map<String, Double> latest = new HashMap<>();
                var data = client.getRun(info.getRunId()).getData();
                data.getParamsList().forEach(p -> params.put(p.getKey(), p.getValue()));
                data.getMetricsList().forEach(m -> latest.put(m.getKey(), m.getValue()));
                Map<String, String> tags = new HashMap<>();
                data.getTagsList().forEach(t -> tags.put(t.getKey(), t.getValue()));
                if (!where.entrySet().stream().allMatch(e -> e.getValue().equals(params.get(e.getKey())))) {
                    continue;
                }
                List<Double> curve = client.getMetricHistory(info.getRunId(), "test_top1").stream()
                        .sorted(Comparator.comparingLong(Metric::getStep))
                        .map(Metric::getValue)
                        .toList();
                List<Double> best = client.getMetricHistory(info.getRunId(), "best_top1").stream()
                        .sorted(Comparator.comparingLong(Metric::getStep))
                        .map(Metric::getValue)
                        .toList();
                if ((curve.isEmpty() && !diverged) || !params.containsKey("method.name")) {
                    continue;
                }
                String label = params.get("method.label");
                String method = label == null || label.equals("null") ? params.get("method.name") : label;
                String teacher = params.containsKey("teacher.saved_model.dir")
                                && !"null".equals(params.get("teacher.saved_model.dir"))
                        ? "saved_model"
                        : params.get("teacher.model");
                if (diverged) {
                    runs.add(FinishedRun.diverged(method, teacher, params.get("student.model"), curve));
                    continue;
                }
                runs.add(new FinishedRun(
                        method,
                        teacher,
                        params.get("student.model"),
                        curve.get(curve.size() - 1),
                        best.isEmpty()
                                ? curve.stream()
                                        .mapToDouble(Double::doubleValue)
                                        .max()
                                        .orElse(Double.NaN)
                                : best.get(best.size() - 1),
                        curve,
                        false,
                        new FinishedRun.Cost(
                                latest.getOrDefault(EpochMetrics.MS_PER_STEP, Double.NaN),
                                false,
                                latest.containsKey(EpochMetrics.EXTRA_PARAMETERS)
                                        ? Math.round(latest.get(EpochMetrics.EXTRA_PARAMETERS))
                                        : -1,
                                tags.get(Provenance.CPU_TAG)),
                        List.of()));
            }
            return runs;
        }
    }
}
