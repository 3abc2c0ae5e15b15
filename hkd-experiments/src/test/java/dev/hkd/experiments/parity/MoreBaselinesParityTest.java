package dev.hkd.experiments.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of the project's byte-for-byte copy of {@code shared/parity/losses-more} passes
 * within the README's tolerances, one test per case: a case whose method no check knows fails
 * (it is never skipped), and so does a required case that is missing.
 */
class MoreBaselinesParityTest {

    /** The cases that must be present, one per method of the folder: a missing one fails the build. */
    static final List<String> REQUIRED = List.of(
            "nst.json",
            "kdsvd.json",
            "fsp.json",
            "ab.json",
            "ft.json",
            "ofd.json",
            "wsld.json",
            "nkd.json",
            "ctkd.json",
            "tfkd-reg.json");

    static Path casesDir() {
        return ParityResources.folder("losses-more", "parity");
    }

    /** Every case file there is; a required one that is missing fails. */
    static Stream<String> cases() throws Exception {
        return ParityResources.casesRequiring(casesDir(), REQUIRED).stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesTheAuthorsCode(String file) {
        ParityResources.assertPasses(new ParityRunner().runCase(casesDir().resolve(file)));
    }

    @Test
    void aWrongLossFails() throws Exception {
        Path dir = Files.createTempDirectory("parity-more");
        String text = Files.readString(casesDir().resolve("nkd.json"));
        String changed = text.replace("\"loss\": 73.28094680144976", "\"loss\": 73.3");
        assertFalse(changed.equals(text), "the case's loss was not found to change");
        Files.writeString(dir.resolve("nkd.json"), changed);
        assertFalse(new ParityRunner().runCase(dir.resolve("nkd.json")).passed());
    }

    @Test
    void aWrongTemperatureGradientFails() throws Exception {
        Path dir = Files.createTempDirectory("parity-more");
        String text = Files.readString(casesDir().resolve("ctkd.json"));
        // The reversal's sign matters: the same gradient of global_T without λ's sign must fail.
        String lambda = "\"lambda\": -0.3454915028125263";
        String changed = text.replace(lambda, "\"lambda\": 0.3454915028125263");
        assertFalse(changed.equals(text), "the case's lambda was not found to change");
        Files.writeString(dir.resolve("ctkd.json"), changed);
        ParityRunner.CaseResult r = new ParityRunner().runCase(dir.resolve("ctkd.json"));
        assertFalse(r.passed());
        assertTrue(r.detail().contains("lambda"), r.detail());
    }

    @Test
    void aCaseOfAnUnknownMethodFails() throws Exception {
        Path dir = Files.createTempDirectory("parity-more");
        Files.writeString(dir.resolve("new.json"), "{\"name\": \"new\", \"method\": \"no-such-method\"}");
        List<ParityRunner.CaseResult> results = new ParityRunner().runFolder(dir);
        assertEquals(1, results.size());
        assertFalse(results.get(0).passed());
    }
}
