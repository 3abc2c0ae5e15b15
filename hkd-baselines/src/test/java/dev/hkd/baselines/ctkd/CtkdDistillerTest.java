package dev.hkd.baselines.ctkd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hkd.api.DistillerProvider;
import dev.hkd.api.OptionException;
import org.junit.jupiter.api.Test;

/** CTKD's reversal schedule and weights, as its CIFAR script sets them. */
class CtkdDistillerTest {

    private final CtkdProvider provider = new CtkdProvider();

    @Test
    void lambdaFallsAlongACosineFromZeroToMinusOneOverTenEpochsCountedFromOne() {
        CtkdDistiller d = (CtkdDistiller) provider.create(provider.defaultConfig());
        assertEquals((Math.cos(Math.PI / 10) + 1) / 2 - 1, d.reversalWeight(0), 1e-15);
        assertEquals(-0.3454915028125263, d.reversalWeight(3), 1e-15); // epoch 4, the reference case's
        assertEquals(-0.5, d.reversalWeight(4), 1e-15);
        assertEquals(-1.0, d.reversalWeight(9), 1e-15);
        assertEquals(-1.0, d.reversalWeight(200), 1e-15);
        for (int e = 1; e < 12; e++) {
            assertTrue(d.reversalWeight(e) <= d.reversalWeight(e - 1), "λ never rises: epoch " + e);
        }
    }

    @Test
    void theScriptsWeightsAreCe01AndKd09AloneAndKd1Combined() {
        assertEquals(new DistillerProvider.WeightsAlone(0.9, 0.1), provider.weightsAlone());
        assertEquals(1.0, provider.referenceWeight());
    }

    @Test
    void meaninglessOptionsNameTheirKey() {
        CtkdProvider.Config d = provider.defaultConfig();
        OptionException e = assertThrows(
                OptionException.class,
                () -> provider.validate(new CtkdProvider.Config(
                        d.tStart(), 0, d.initialTheta(), d.decayMax(), d.decayMin(), d.decayLoops())));
        assertEquals("t_end", e.key());
        e = assertThrows(
                OptionException.class,
                () -> provider.validate(
                        new CtkdProvider.Config(d.tStart(), d.tEnd(), d.initialTheta(), -1, 0, d.decayLoops())));
        assertEquals("decay_min", e.key());
        e = assertThrows(
                OptionException.class,
                () -> provider.validate(new CtkdProvider.Config(
                        d.tStart(), d.tEnd(), d.initialTheta(), d.decayMax(), d.decayMin(), 0)));
        assertEquals("decay_loops", e.key());
    }
}
