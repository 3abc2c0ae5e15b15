package dev.hkd.experiments.parity;

import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The checks of the six feature methods of {@code losses-more/} — NST, KDSVD, FSP, AB, FT, OFD —
 * can fail: a case altered where the authors' code would have computed otherwise (a teacher
 * vector's sign, a BatchNorm statistic, a margin, the paraphraser's pre-training) no longer passes.
 * That every case as written passes is {@link MoreBaselinesParityTest}'s.
 */
class FeatureMethodParityTest {

    static Path casesDir() {
        return MoreBaselinesParityTest.casesDir();
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
