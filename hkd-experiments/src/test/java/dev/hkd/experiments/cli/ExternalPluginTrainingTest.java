package dev.hkd.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A distiller from another jar (examples/distiller-plugin), found by ServiceLoader, trains through an ordinary config. */
class ExternalPluginTrainingTest {

    @TempDir
    Path dir;

    @Test
    void theFrameworkFindsAndTrainsTheExternalDistiller() throws Exception {
        String data = "data: {dataset: fashion-mnist-subset, train_limit: 640}\n";
        Path teacherYaml = dir.resolve("teacher.yaml");
        Files.writeString(
                teacherYaml,
                "seed: 2\n" + data + "student: {model: fmnist_cnn}\n"
                        + "training: {schedule: {epochs: 1, milestones: []}, batch_size: 32}\n"
                        + "output: " + dir.resolve("teacher") + "\n");
        assertEquals(0, Hkd.run("train", teacherYaml.toString()));

        Path studentYaml = dir.resolve("student.yaml");
        Files.writeString(
                studentYaml,
                "seed: 2\n" + data + "student: {model: fmnist_cnn}\n"
                        + "teacher: {model: fmnist_cnn, checkpoint: " + dir.resolve("teacher/last.safetensors") + "}\n"
                        + "method: {name: logit-matching+kd, weights: {logit-matching: 0.5}, options: {logit-matching: {centre: true}}}\n"
                        + "training: {schedule: {epochs: 2, milestones: []}, batch_size: 32}\n"
                        + "output: " + dir.resolve("student") + "\n");
        assertEquals(0, Hkd.run("train", studentYaml.toString()));

        ObjectMapper json = new ObjectMapper();
        List<JsonNode> epochs = Files.readAllLines(dir.resolve("student/metrics.jsonl")).stream()
                .map(l -> {
                    try {
                        return json.readTree(l);
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                })
                .toList();
        assertEquals(2, epochs.size());
        double first =
                epochs.get(0).path("trainLoss").path("logit-matching.mse").asDouble();
        double second =
                epochs.get(1).path("trainLoss").path("logit-matching.mse").asDouble();
        assertTrue(first > 0 && second < first, "plugin term did not fall: " + first + " -> " + second);
    }
}
