package dev.hkd.api;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A bound declared on a record component refuses a value outside it, naming the YAML key. */
class OptionBoundsTest {

    record Options(
            @Positive double temperature,
            @NonNegative long warmupEpochs,
            @AtLeast(1) int decayLoops,
            @InRange(min = 0, max = 1) double correctProb,
            double free) {}

    private static OptionException refused(Options options) {
        return assertThrows(OptionException.class, () -> OptionBounds.check(options));
    }

    @Test
    void valuesInsideTheirBoundsPass() {
        assertDoesNotThrow(() -> OptionBounds.check(new Options(4, 0, 1, 1, -7)));
        assertDoesNotThrow(() -> OptionBounds.check(new Options(1e-9, 20, 3, 0, Double.NaN)));
    }

    @Test
    void aValueOutsideItsBoundNamesTheKeyInSnakeCaseAndSaysWhatIsValid() {
        OptionException e = refused(new Options(0, 0, 1, 0.5, 0));
        assertEquals("temperature", e.key());
        assertEquals("must be > 0, got 0.0", e.detail());

        e = refused(new Options(4, -1, 1, 0.5, 0));
        assertEquals("warmup_epochs", e.key());
        assertEquals("must be >= 0, got -1", e.detail());

        e = refused(new Options(4, 0, 0, 0.5, 0));
        assertEquals("decay_loops", e.key());
        assertEquals("must be >= 1, got 0", e.detail());

        e = refused(new Options(4, 0, 1, 1.5, 0));
        assertEquals("correct_prob", e.key());
        assertEquals("must be in [0, 1], got 1.5", e.detail());
    }

    @Test
    void notANumberIsOutsideEveryBound() {
        assertEquals(
                "temperature", refused(new Options(Double.NaN, 0, 1, 0.5, 0)).key());
        assertEquals(
                "correct_prob", refused(new Options(4, 0, 1, Double.NaN, 0)).key());
    }

    record Misdeclared(@Positive String name) {}

    @Test
    void aBoundOnAnOptionThatIsNotANumberIsTheMethodsMistakeAndSaysSo() {
        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> OptionBounds.check(new Misdeclared("x")));
        assertTrue(e.getMessage().contains("Misdeclared.name"), e.getMessage());
    }

    @Test
    void theKeyIsTheComponentNameAsTheYamlSpellsIt() {
        assertEquals("init_pred_var", OptionBounds.yamlKey("initPredVar"));
        assertEquals("kd_t", OptionBounds.yamlKey("kdT"));
        assertEquals("eps", OptionBounds.yamlKey("eps"));
    }
}
