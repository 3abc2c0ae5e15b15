package dev.hkd.experiments.grid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hkd.experiments.config.ConfigLoader;
import dev.hkd.experiments.config.RunConfig;
import dev.hkd.experiments.run.TrainingRun;
import dev.hkd.experiments.train.EpochRecord;
import dev.hkd.experiments.train.MetricsLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The finished runs below a folder (each with {@code result.json}, {@code config.yaml}, {@code metrics.jsonl}). */
public final class RunStore {

    private RunStore() {
    }

    public static List<FinishedRun> read(Path dir) {
        ObjectMapper json = new ObjectMapper();
        List<FinishedRun> runs = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path result : walk.filter(p -> p.getFileName().toString().equals(TrainingRun.RESULT_FILE)).sorted().toList()) {
                Path folder = result.getParent();
                if (!Files.isRegularFile(folder.resolve("config.yaml"))) {
                    continue;
                }
                RunConfig c = ConfigLoader.loadRun(folder.resolve("config.yaml"));
                JsonNode o = json.readTree(result.toFile());
                String teacher = c.teacher() == null ? null : c.teacher().savedModel() != null ? "saved_model" : c.teacher().model();
                List<Double> curve = new MetricsLog(folder.resolve("metrics.jsonl")).read().stream().map(EpochRecord::testTop1).toList();
                runs.add(new FinishedRun(c.method().name(), teacher, c.student().model(), o.path("lastTop1").asDouble(),
                        o.path("bestTop1").asDouble(), curve));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return runs;
    }
}
