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

    /** Two steps into the third epoch (epoch 2), seed 7. */
    private static EpochProgress twoStepsIn() {
        Map<String, String> start = new HashMap<>(new Checkpoint.Position(7, new EpochProgress(), null).toMetadata());
        start.put("epoch", "2");
        EpochProgress p =
                Checkpoint.Position.fromMetadata(start, "c.safetensors").progress();
        p.addStep(Map.of("ce", 1.25), 64, 50, 60, 0.5);
        p.addStep(Map.of("ce", 0.75), 32, 20, 30, 0.25);
        p.recordTest(81.5);
        return p;
    }

    private static Map<String, String> valid() {
        return new HashMap<>(new Checkpoint.Position(7, twoStepsIn(), null).toMetadata());
    }

    @Test
    void whatWasWrittenReadsBack() {
        Checkpoint.Position p = Checkpoint.Position.fromMetadata(valid(), "c.safetensors");
        assertEquals(7, p.seed());
        assertEquals(2, p.progress().epoch());
        assertEquals(2, p.progress().step());
        Map<String, String> meta = p.toMetadata();
        assertEquals("96", meta.get("seen"));
        assertEquals("81.5", meta.get("best_top1"));
        assertEquals("{\"ce\":" + (1.25 * 64 + 0.75 * 32) + "}", meta.get("loss_sums"));
        assertEquals(valid(), meta, "a restored position writes the same metadata again");
    }

    @Test
    void aResumedEpochEndsWithTheMetricsOfAnUninterruptedOne() {
        EpochProgress uninterrupted = twoStepsIn();
        EpochProgress resumed =
                Checkpoint.Position.fromMetadata(valid(), "c.safetensors").progress();
        Accuracy test = new Accuracy(82.0, 99.0);
        EpochRecord expected = uninterrupted.endEpoch(0.05, test, 10.0, 100L, 1234L);
        EpochRecord actual = resumed.endEpoch(0.05, test, 10.0, 100L, 1234L);
        assertEquals(expected, actual);
        assertEquals(3, expected.epoch());
        assertEquals(100.0 * 70 / 96, expected.trainTop1());
        assertEquals(3, resumed.epoch(), "the position moves to the next epoch");
        assertEquals(0, resumed.step());
        assertEquals("0", resumed.toMetadata().get("seen"), "the sums start again");
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
