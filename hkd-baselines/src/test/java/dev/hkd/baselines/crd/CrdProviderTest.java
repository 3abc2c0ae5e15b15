package dev.hkd.baselines.crd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.hkd.api.OptionException;
import dev.hkd.losses.contrast.BankScoring;
import org.junit.jupiter.api.Test;

class CrdProviderTest {

    private static CrdConfig scoring(String value) {
        CrdConfig r = CrdConfig.reference();
        return new CrdConfig(r.featDim(), r.nceK(), r.nceT(), r.nceM(), r.mode(), value);
    }

    @Test
    void bankScoringDefaultsToAutoAndTakesTheTwoFormulations() {
        assertEquals(BankScoring.AUTO, CrdConfig.reference().scoring());
        new CrdProvider().validate(scoring("whole-bank"));
        new CrdProvider().validate(scoring("gathered"));
    }

    @Test
    void anUnknownBankScoringIsAnOptionErrorNamingTheKeyAndTheValidValues() {
        OptionException e = assertThrows(OptionException.class, () -> new CrdProvider().validate(scoring("sparse")));
        assertEquals("bank_scoring", e.key());
        assertEquals("unknown 'sparse'; valid: auto, whole-bank, gathered", e.detail());
    }
}
