package dev.hkd.training.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hkd.training.io.SafeTensorsException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A checkpoint's metadata is read strictly: a damaged entry is one line naming the file and the entry. */
class CheckpointMetadataTest {

    private static Map<String, String> valid() {
        return new HashMap<>(
                new Checkpoint.Position(2, 30, 7, 81.5, 640, 500, 600, 12.5, 13.0, 0, Map.of("ce", 1.25), null)
                        .toMetadata());
    }

    @Test
    void whatWasWrittenReadsBack() {
        Checkpoint.Position p = Checkpoint.Position.fromMetadata(valid(), "c.safetensors");
        assertEquals(2, p.epoch());
        assertEquals(30, p.step());
        assertEquals(7, p.seed());
        assertEquals(Map.of("ce", 1.25), p.lossSums());
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(
            delimiter = '|',
            nullValues = "MISSING",
            value = {
                "epoch | MISSING | 'epoch' is missing; expected an integer",
                "step | -1 | 'step' is '-1'; expected an integer in [0, 2147483647]",
                "step | abc | 'step' is 'abc'",
                "epoch | 4294967297 | 'epoch' is '4294967297'",
                "seed | 1.5 | 'seed' is '1.5'",
                "best_top1 | NaN | 'best_top1' is 'NaN'; expected a finite number",
                "epoch_seconds | -3 | 'epoch_seconds' is '-3'",
                "loss_sums | MISSING | 'loss_sums' is not valid",
                "loss_sums | {\"ce\": | 'loss_sums' is not valid",
            })
    void aDamagedEntryIsOneLineNamingIt(String key, String value, String said) {
        Map<String, String> meta = valid();
        if (value == null) {
            meta.remove(key);
        } else {
            meta.put(key, value);
        }
        SafeTensorsException e =
                assertThrows(SafeTensorsException.class, () -> Checkpoint.Position.fromMetadata(meta, "c.safetensors"));
        assertTrue(e.getMessage().startsWith("c.safetensors: checkpoint metadata " + said), e.getMessage());
    }
}
