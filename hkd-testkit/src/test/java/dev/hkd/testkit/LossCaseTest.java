package dev.hkd.testkit;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import dev.hkd.api.Scalars;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

/** A loss case in the parity format accepts the loss it was computed from and rejects another. */
class LossCaseTest {

    /** Hinton's KD written out here, so that the kit's tests need no module of methods. */
    private static NDArray kd(NDArray studentLogits, NDArray teacherLogits, double temperature) {
        NDArray logPs = Scalars.div(studentLogits, temperature).logSoftmax(1);
        NDArray logPt = Scalars.div(teacherLogits, temperature).logSoftmax(1);
        NDArray kl = logPt.exp().mul(logPt.sub(logPs)).sum();
        return Scalars.mul(
                kl, temperature * temperature / studentLogits.getShape().get(0));
    }

    /** The project's copy of the authors' KD case at T = 4. */
    private static final Path KD_T4 = Path.of("../hkd-experiments/src/test/resources/parity/losses/kd-t4.json");

    @Test
    void kdMatchesTheAuthorsCase() {
        LossCase c = LossCase.read(KD_T4);
        c.assertMatches(in -> kd(in.get("logits_s"), in.get("logits_t"), c.param("temperature")));
    }

    @Test
    void kdAtAnotherTemperatureDoesNot() {
        LossCase c = LossCase.read(KD_T4);
        assertThrows(
                AssertionFailedError.class,
                () -> c.assertMatches(in -> kd(in.get("logits_s"), in.get("logits_t"), 2.0)));
    }

    @Test
    void aFileThatIsNotACaseIsNamed(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("weights.json"), "{\"w\": 1}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LossCase.read(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    }
}
