package dev.hkd.runner.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a tracker records as a run's parameters, and the local description sync relies on. */
class RunDescriptionTest {

    @TempDir
    Path dir;

    @Test
    void parametersAreTheFlattenedConfigurationWithoutAnythingNamedLikeACredential() throws Exception {
        JsonNode config = new ObjectMapper().readTree("""
                {"seed": 1, "method": {"name": "kd", "options": {"kd": {"temperature": 4}}},
                 "training": {"schedule": {"milestones": [8, 12]}},
                 "data": {"dir": null, "api_key": "k", "auth": {"password": "p", "token": "t"}}}""");
        assertEquals(
                Map.of(
                        "seed",
                        "1",
                        "method.name",
                        "kd",
                        "method.options.kd.temperature",
                        "4",
                        "training.schedule.milestones",
                        "[8,12]",
                        "data.dir",
                        "null"),
                RunDescription.flatten(config));
    }

    @Test
    void aFolderKeepsTheDescriptionOfItsFirstStart() {
        RunDescription first = new RunDescription("uid-1", "grid", "cell", Map.of("a", "1"), Map.of("t", "x"));
        first.writeIfAbsent(dir);
        new RunDescription("uid-2", "grid", "cell", Map.of("a", "1"), Map.of("t", "y")).writeIfAbsent(dir);
        assertEquals(first, RunDescription.read(dir));
    }
}
