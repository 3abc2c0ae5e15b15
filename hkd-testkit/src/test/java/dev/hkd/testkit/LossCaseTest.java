package dev.hkd.testkit;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hkd.losses.KdLoss;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

/** A loss case in the parity format accepts the loss it was computed from and rejects another. */
class LossCaseTest {

    /** The project's copy of the authors' KD case at T = 4. */
    private static final Path KD_T4 = Path.of("../hkd-experiments/src/test/resources/parity/losses/kd-t4.json");

    @Test
    void kdMatchesTheAuthorsCase() {
        LossCase c = LossCase.read(KD_T4);
        c.assertMatches(in -> KdLoss.compute(in.get("logits_s"), in.get("logits_t"), c.param("temperature")));
    }

    @Test
    void kdAtAnotherTemperatureDoesNot() {
        LossCase c = LossCase.read(KD_T4);
        assertThrows(AssertionFailedError.class, () -> c.assertMatches(in -> KdLoss.compute(in.get("logits_s"), in.get("logits_t"), 2.0)));
    }

    @Test
    void aFileThatIsNotACaseIsNamed(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("weights.json"), "{\"w\": 1}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LossCase.read(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    }
}
