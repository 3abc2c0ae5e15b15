package dev.hkd.experiments.parity;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The six feature methods of {@code losses-more/} — NST, KDSVD, FSP, AB, FT, OFD — match the
 * authors' code within the README's tolerances: loss, per-stage terms, every listed gradient,
 * BatchNorm running statistics, KDSVD's teacher vectors, OFD's margins, FT's paraphraser
 * pre-training. The cases are the project's copies of {@code shared/parity/losses-more}.
 */
class FeatureMethodParityTest {

    static final String[] CASES = {"nst.json", "kdsvd.json", "fsp.json", "ab.json", "ft.json", "ofd.json"};

    static Path casesDir() {
        return MoreBaselinesParityTest.casesDir();
    }

    static Stream<String> cases() {
        for (String name : CASES) {
            assertTrue(Files.isRegularFile(casesDir().resolve(name)), "required parity case missing: " + name);
        }
        return Stream.of(CASES);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesTheAuthorsCode(String file) {
        ParityResources.assertPasses(new ParityRunner().runCase(casesDir().resolve(file)));
    }

    @Test
    void aTeacherVectorOfTheOtherSignFails() throws Exception {
        assertFalse(runAltered("kdsvd.json", root -> negateFirst((ArrayNode) root.at("/expected/v_t/0/data")))
                .passed());
    }

    @Test
    void aWrongMarginFails() throws Exception {
        assertFalse(runAltered("ofd.json", root -> nudgeFirst((ArrayNode) root.at("/expected/margins/1/data")))
                .passed());
    }

    @Test
    void aWrongRunningStatisticFails() throws Exception {
        assertFalse(runAltered(
                        "ab.json",
                        root -> nudgeFirst(
                                (ArrayNode) root.at("/expected/running_after/connectors.0.bn.running_var/data")))
                .passed());
    }

    @Test
    void aWrongParaphraserGradientFails() throws Exception {
        assertFalse(runAltered(
                        "ft.json",
                        root -> negateFirst(
                                (ArrayNode) root.at("/expected/paraphraser_init/grad/paraphraser.decoder.6.bias/data")))
                .passed());
    }

    @Test
    void aMissingPerStageTermFails() throws Exception {
        assertFalse(runAltered("nst.json", root -> ((ArrayNode) root.at("/expected/per_stage")).remove(2))
                .passed());
    }

    private interface Edit {
        void apply(ObjectNode root);
    }

    private static ParityRunner.CaseResult runAltered(String file, Edit edit) throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(casesDir().resolve(file).toFile());
        edit.apply(root);
        Path dir = Files.createTempDirectory("parity-more");
        Path altered = dir.resolve(file);
        json.writeValue(altered.toFile(), root);
        return new ParityRunner().runCase(altered);
    }

    private static void nudgeFirst(ArrayNode data) {
        data.set(0, data.get(0).asDouble() + 1e-3);
    }

    private static void negateFirst(ArrayNode data) {
        JsonNode first = data.get(0);
        data.set(0, -first.asDouble() - 1.0);
    }
}
