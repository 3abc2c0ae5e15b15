package dev.hkd.training.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The process's resident memory from /proc (Linux): current and peak, in MiB; −1 elsewhere. */
public final class ResidentMemory {

    private ResidentMemory() {}

    public static long currentMiB() {
        return field("VmRSS:");
    }

    public static long peakMiB() {
        return field("VmHWM:");
    }

    private static long field(String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(name)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
