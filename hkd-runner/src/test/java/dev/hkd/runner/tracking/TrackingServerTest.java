package dev.hkd.runner.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hkd.training.config.ConfigException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where runs are tracked, and that credentials never show. */
class TrackingServerTest {

    @Test
    void theOptionWinsOverTheEnvironmentAndNeitherMeansLocalOnly() {
        Map<String, String> env = Map.of("MLFLOW_TRACKING_URI", "http://env-host:5000");
        assertEquals("http://cli-host:5001", TrackingServer.resolve("http://cli-host:5001/", env).orElseThrow().address());
        assertEquals("http://env-host:5000", TrackingServer.resolve(null, env).orElseThrow().address());
        assertTrue(TrackingServer.resolve(null, Map.of()).isEmpty());
    }

    @Test
    void credentialsInTheUriOrEnvironmentAreUsedButNeverPrinted() {
        TrackingServer s = TrackingServer.resolve("https://alice:s3cret@mlflow.example:443/base", Map.of()).orElseThrow();
        assertEquals("https://mlflow.example:443/base", s.toString());
        assertFalse(s.toString().contains("s3cret"));
        assertTrue(s.authorization().startsWith("Basic "));
        TrackingServer t = TrackingServer.resolve("http://h:1", Map.of("MLFLOW_TRACKING_TOKEN", "tok-123")).orElseThrow();
        assertEquals("Bearer tok-123", t.authorization());
        assertFalse(t.toString().contains("tok-123"));
        assertEquals("http://***@h:1/x", TrackingServer.redact("http://u:p@h:1/x"));
    }

    @Test
    void aFileUriIsAOneLineErrorThatSaysWhatWorks() {
        ConfigException e = assertThrows(ConfigException.class, () -> TrackingServer.resolve("file:///tmp/mlruns", Map.of()));
        assertTrue(e.getMessage().contains("http(s)"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }
}
