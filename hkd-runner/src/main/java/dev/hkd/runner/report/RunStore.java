package dev.hkd.runner.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hkd.runner.tracking.Provenance;
import dev.hkd.runner.tracking.RunDescription;
import dev.hkd.training.config.ConfigException;
import dev.hkd.training.config.ConfigLoader;
import dev.hkd.training.config.RunConfig;
import dev.hkd.training.io.RunFolder;
import dev.hkd.training.train.EpochRecord;
import dev.hkd.training.train.MetricsLog;
import dev.hkd.training.train.RunCost;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The ended runs below a folder: finished ones ({@code result.json}) and diverged ones
 * ({@code failed.json}), each with its {@code config.yaml} and {@code metrics.jsonl}.
 */
public final class RunStore {

    private RunStore() {}

    public static List<FinishedRun> read(Path dir) {
        return read(dir, Map.of());
    }

    /**
     * The ended runs whose configuration has every {@code where} value, keys in the dotted form of
     * MLflow's params ({@code training.schedule.epochs}).
     */
    public static List<FinishedRun> read(Path dir, Map<String, String> where) {
        ObjectMapper json = new ObjectMapper();
        List<FinishedRun> runs = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path end : walk.filter(RunFolder::isEndFile).sorted().toList()) {
                RunFolder run = new RunFolder(end.getParent());
                boolean diverged = end.equals(run.failed());
                if (!Files.isRegularFile(run.config()) || (diverged && run.isFinished())) {
                    continue;
                }
                RunConfig c = ConfigLoader.loadRun(run.config());
                if (!matches(c, where)) {
                    continue;
                }
                String teacher = c.teacher() == null
                        ? null
                        : c.teacher().savedModel() != null
                                ? "saved_model"
                                : c.teacher().model();
                List<EpochRecord> epochs = new MetricsLog(run.metrics()).read();
                List<Double> curve = epochs.stream().map(EpochRecord::testTop1).toList();
                if (diverged) {
                    runs.add(FinishedRun.diverged(
                            c.method().displayName(), teacher, c.student().model(), curve));
                } else {
                    JsonNode o = json.readTree(end.toFile());
                    // A damaged result would enter the table as 0.00 ± 0.00: it is refused, naming the file.
                    for (String key : List.of("lastTop1", "bestTop1")) {
                        if (o == null || !o.path(key).isNumber()) {
                            throw new ConfigException(
                                    end + ": is incomplete (no number '" + key + "'); the report would show it as"
                                            + " 0.00; restore the run or delete its folder");
                        }
                    }
                    runs.add(new FinishedRun(
                            c.method().displayName(),
                            teacher,
                            c.student().model(),
                            o.path("lastTop1").asDouble(),
                            o.path("bestTop1").asDouble(),
                            curve,
                            false,
                            cost(o.path("cost"), epochs, c.training().batchSize(), processor(run, json)),
                            epochs.stream().map(EpochRecord::trainLoss).toList()));
                }
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ConfigException("a result below " + dir + " is not JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return runs;
    }

    static boolean matches(RunConfig c, Map<String, String> where) {
        if (where.isEmpty()) {
            return true;
        }
        Map<String, String> flat = RunDescription.flatten(ConfigLoader.mapper().valueToTree(c));
        return where.entrySet().stream().allMatch(e -> e.getValue().equals(flat.get(e.getKey())));
    }

    /**
     * The recorded cost; for runs written before it was recorded, the mean step time from the
     * epochs' step seconds (median over epochs), and no parameter count.
     */
    static FinishedRun.Cost cost(JsonNode recorded, List<EpochRecord> epochs, int batchSize, String processor) {
        if (recorded.isObject()) {
            return new FinishedRun.Cost(
                    recorded.path("msPerStep").asDouble(Double.NaN),
                    false,
                    recorded.path("extraParameters").asLong(-1),
                    processor);
        }
        List<Double> meanMs = new ArrayList<>();
        for (EpochRecord e : epochs) {
            long images = Math.round(e.imagesPerSecond() * e.seconds());
            long steps = (images + batchSize - 1) / batchSize;
            if (steps > 0 && e.seconds() > 0) {
                meanMs.add(1000 * e.seconds() / steps);
            }
        }
        return meanMs.isEmpty()
                ? FinishedRun.Cost.UNKNOWN
                : new FinishedRun.Cost(RunCost.median(meanMs), true, -1, processor);
    }

    /** The processor {@code tracking.json} records ({@code hkd.cpu}), or null for runs made before it was recorded. */
    static String processor(RunFolder run, ObjectMapper json) throws IOException {
        if (!Files.isRegularFile(run.tracking())) {
            return null;
        }
        try {
            JsonNode cpu = json.readTree(run.tracking().toFile()).path("tags").path(Provenance.CPU_TAG);
            return cpu.isTextual() ? cpu.asText() : null;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ConfigException(run.tracking() + ": is not JSON (" + e.getOriginalMessage()
                    + "); restore it or delete the run's folder");
        }
    }
}
