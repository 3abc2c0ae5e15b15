package dev.hkd.experiments.bench;

import dev.hkd.training.train.ResidentMemory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The peak resident memory of one part of a benchmark: Linux lets a process reset its own peak
 * ({@code VmHWM}) by writing 5 to {@code /proc/self/clear_refs}, so formulations measured one
 * after another in one process each get their own peak.
 */
final class PeakResidentMemory {

    private PeakResidentMemory() {}

    /** Resets the peak to the current resident memory; false where the kernel does not allow it. */
    static boolean reset() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    /** The peak since the last {@link #reset()} (or since the process started), MiB; −1 where unknown. */
    static long peakMiB() {
        return ResidentMemory.peakMiB();
    }
}
