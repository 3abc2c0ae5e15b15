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
        assertEquals(
                "http://cli-host:5001",
                TrackingServer.resolve("http://cli-host:5001/", env)
                        .orElseThrow()
                        .address());
        assertEquals(
                "http://env-host:5000",
                TrackingServer.resolve(null, env).orElseThrow().address());
        assertTrue(TrackingServer.resolve(null, Map.of()).isEmpty());
    }

    @Test
    void credentialsInTheUriOrEnvironmentAreUsedButNeverPrinted() {
        TrackingServer s = TrackingServer.resolve("https://alice:s3cret@mlflow.example:443/base", Map.of())
                .orElseThrow();
        assertEquals("https://mlflow.example:443/base", s.toString());
        assertFalse(s.toString().contains("s3cret"));
        assertTrue(s.authorization().startsWith("Basic "));
        TrackingServer t = TrackingServer.resolve("http://h:1", Map.of("MLFLOW_TRACKING_TOKEN", "tok-123"))
                .orElseThrow();
        assertEquals("Bearer tok-123", t.authorization());
        assertFalse(t.toString().contains("tok-123"));
        assertEquals("http://***@h:1/x", TrackingServer.redact("http://u:p@h:1/x"));
    }

    @Test
    void aFileUriIsAOneLineErrorThatSaysWhatWorks() {
        ConfigException e =
                assertThrows(ConfigException.class, () -> TrackingServer.resolve("file:///tmp/mlruns", Map.of()));
        assertTrue(e.getMessage().contains("http(s)"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void redactionRemovesTheUserInfoAsAUriParserSplitsItAndAnyPasswordItCannotSplit() {
        // Percent-encoded: the parser finds the user info and only it goes.
        assertEquals("http://***@h:5000/x@y", TrackingServer.redact("http://alice:top%2Fsecret@h:5000/x@y"));
        // A '/' or '@' left in the password: the parser cannot tell where it ends, so everything up to the last '@'
        // goes.
        String leaked = "http://alice:top/secret789@mlflow.example:5000";
        assertEquals("http://***@mlflow.example:5000", TrackingServer.redact(leaked));
        assertEquals("http://***@h", TrackingServer.redact("http://alice:a@b@h"));
        // Inside a sentence, every URI, and nothing else.
        assertEquals(
                "connect to http://***@h:1 failed; see https://docs.example/a",
                TrackingServer.redact("connect to http://u:p@h:1 failed; see https://docs.example/a"));
        assertEquals("no uri here: a@b", TrackingServer.redact("no uri here: a@b"));
    }

    @Test
    void aUriWhosePasswordIsNotEncodedIsRefusedWithoutShowingIt() {
        for (String uri :
                new String[] {"http://alice:top/secret789@mlflow.example:5000", "http://alice:top@secret@h:5000/x"}) {
            ConfigException e = assertThrows(
                    ConfigException.class,
                    () -> TrackingServer.resolve(uri, Map.of()).orElseThrow().client());
            assertFalse(e.getMessage().contains("secret"), e.getMessage());
            assertFalse(e.getMessage().contains("top"), e.getMessage());
            assertEquals(1, e.getMessage().lines().count());
        }
        TrackingServer encoded = TrackingServer.resolve("http://alice:top%2Fsecret789@h:5000", Map.of())
                .orElseThrow();
        assertEquals("http://h:5000", encoded.address());
        assertEquals(
                "Basic " + java.util.Base64.getEncoder().encodeToString("alice:top/secret789".getBytes()),
                encoded.authorization());
    }
}
