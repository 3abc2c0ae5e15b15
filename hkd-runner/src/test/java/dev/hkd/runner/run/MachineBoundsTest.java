package dev.hkd.runner.run;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hkd.training.config.ConfigException;
import dev.hkd.training.config.DataConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Counts typed on the command line are bounded by the machine; --data-dir is never ignored or contradicting. */
class MachineBoundsTest {

    @Test
    void threadsRunFromOneToTheCores() {
        assertDoesNotThrow(() -> MachineBounds.requireThreads(1, "--threads"));
        assertDoesNotThrow(() -> MachineBounds.requireThreads(MachineBounds.cores(), "--threads"));
        assertDoesNotThrow(() -> MachineBounds.requireThreads(null, "--threads"));
        for (int bad : new int[] {0, -1, MachineBounds.cores() + 1, 100_000}) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> MachineBounds.requireThreads(bad, "--threads"));
            assertTrue(
                    e.getMessage().startsWith("--threads: must be between 1 and " + MachineBounds.cores()),
                    e.getMessage());
        }
    }

    @Test
    void workersAreBoundedByCoresAndByMemoryAtTheirHeap() {
        assertEquals(
                Math.min(MachineBounds.cores(), (int) Math.max(1, MachineBounds.physicalMemory() / (1L << 30))),
                MachineBounds.maxWorkers(1L << 30));
        assertEquals(1, MachineBounds.maxWorkers(Long.MAX_VALUE / 2), "a heap larger than the memory still runs one");
        for (int bad : new int[] {0, -1, 100_000}) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> MachineBounds.requireWorkers(bad));
            assertTrue(e.getMessage().startsWith("--workers: must be between 1 and "), e.getMessage());
        }
        assertDoesNotThrow(() -> MachineBounds.requireWorkers(1));
    }

    @Test
    void dataDirIsRefusedWhereItWouldBeIgnoredOrContradictDataDir() {
        Path b = Path.of("/data/b");
        ConfigException embedded = assertThrows(
                ConfigException.class,
                () -> DataDirectory.requireConsistent(new DataConfig("fashion-mnist-subset", null, null, null), b));
        assertTrue(embedded.getMessage().contains("--data-dir /data/b")
                && embedded.getMessage().contains("embedded"));
        ConfigException contradicting = assertThrows(
                ConfigException.class,
                () -> DataDirectory.requireConsistent(new DataConfig("fashion-mnist", "/data/a", null, null), b));
        assertTrue(contradicting.getMessage().contains("contradicts data.dir /data/a"), contradicting.getMessage());
        assertDoesNotThrow(
                () -> DataDirectory.requireConsistent(new DataConfig("fashion-mnist", "/data/b/", null, null), b));
        assertDoesNotThrow(() -> DataDirectory.requireConsistent(new DataConfig("fashion-mnist", null, null, null), b));
        assertDoesNotThrow(
                () -> DataDirectory.requireConsistent(new DataConfig("fashion-mnist-subset", null, null, null), null));
    }
}
