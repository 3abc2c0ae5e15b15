package dev.hkd.experiments.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.hkd.testkit.parity.ParityCase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every reference case of a method this project implements passes within the README's
 * tolerances. The cases are the project's byte-for-byte copies of {@code shared/parity/losses}.
 */
class ReferenceParityTest {

    /** The methods implemented so far; each of their cases must pass. */
    static final Set<String> IMPLEMENTED = Set.of(
            "kd", "hkd", "crd", "rkd", "reviewkd-hcl", "at", "pkt", "sp", "cc", "vid", "fitnet", "sskd", "dkd", "dist");

    /** Cases that must be present: a missing one fails the build instead of silently not running. */
    static final List<String> REQUIRED = List.of(
            "kd-t1.json",
            "kd-t4.json",
            "hkd.json",
            "hkd-small-batch.json",
            "crd.json",
            "rkd-vec.json",
            "rkd-map.json",
            "reviewkd-hcl.json",
            "at.json",
            "pkt.json",
            "sp.json",
            "cc.json",
            "vid.json",
            "fitnet-down.json",
            "fitnet-same.json",
            "fitnet-up.json",
            "sskd-a.json",
            "dkd.json",
            "dkd-ls.json",
            "kd-ls.json",
            "dist.json");

    static Path casesDir() {
        return ParityResources.folder("losses", "parity");
    }

    static Stream<String> implementedCases() throws Exception {
        return ParityResources.casesRequiring(casesDir(), REQUIRED).stream()
                .filter(n -> IMPLEMENTED.contains(
                        ParityCase.read(casesDir().resolve(n)).method()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementedCases")
    void matchesTheAuthorsCode(String file) {
        ParityResources.assertPasses(new ParityRunner().runCase(casesDir().resolve(file)));
    }

    @Test
    void allRequiredCasesAreAmongTheImplemented() throws Exception {
        assertEquals(
                REQUIRED.size(), implementedCases().filter(REQUIRED::contains).count());
    }

    @Test
    void aCaseOfAnUnknownMethodIsAFailureNotAPass() throws Exception {
        Path dir = Files.createTempDirectory("parity");
        Files.writeString(dir.resolve("new.json"), "{\"name\": \"new\", \"method\": \"no-such-method\"}");
        List<ParityRunner.CaseResult> results = new ParityRunner().runFolder(dir);
        assertFalse(results.get(0).passed());
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int failed = ParityRunner.report(results, new PrintStream(buffer, true, StandardCharsets.UTF_8));
        assertEquals(1, failed);
        String[] lines = buffer.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals("0 passed, 1 failed", lines[lines.length - 1]);
    }

    @Test
    void aWrongResultFails() throws Exception {
        Path dir = Files.createTempDirectory("parity");
        String text = Files.readString(casesDir().resolve("kd-t1.json"));
        Files.writeString(dir.resolve("kd-t1.json"), text.replace("\"loss\": 4.695193892532265", "\"loss\": 4.7"));
        assertFalse(new ParityRunner().runCase(dir.resolve("kd-t1.json")).passed());
    }
}
