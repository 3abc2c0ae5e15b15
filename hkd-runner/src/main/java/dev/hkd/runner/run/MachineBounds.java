package dev.hkd.runner.run;

import java.lang.management.ManagementFactory;

/**
 * What this machine can take, so that a count typed on the command line cannot exhaust it: intra-op
 * threads at most one per core ({@code --threads 100000} would start a thread bomb), and worker
 * processes at most one per core and as many as the memory holds at this JVM's heap each (every
 * worker gets the same {@code -Xmx}). A count out of bounds is a one-line error naming the option.
 */
public final class MachineBounds {

    private MachineBounds() {}

    public static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** The physical memory in bytes, or {@code Long.MAX_VALUE} where the JVM cannot tell. */
    public static long physicalMemory() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            long total = os.getTotalMemorySize();
            return total > 0 ? total : Long.MAX_VALUE;
        }
        return Long.MAX_VALUE;
    }

    /** Refuses {@code threads} (of {@code option}, may be null: nothing asked) below 1 or above the machine's cores. */
    public static void requireThreads(Integer threads, String option) {
        if (threads == null) {
            return;
        }
        if (threads < 1 || threads > cores()) {
            throw new IllegalArgumentException(
                    option + ": must be between 1 and " + cores() + " (this machine's cores), got " + threads);
        }
    }

    /** The most worker processes this machine runs at once, each with {@code heapBytesEach} of heap. */
    public static int maxWorkers(long heapBytesEach) {
        long byMemory = heapBytesEach <= 0 ? Long.MAX_VALUE : physicalMemory() / heapBytesEach;
        return (int) Math.max(1, Math.min(cores(), byMemory));
    }

    /** Refuses {@code --workers} below 1 or above {@link #maxWorkers} at this JVM's heap. */
    public static void requireWorkers(int workers) {
        long heap = Runtime.getRuntime().maxMemory();
        int max = maxWorkers(heap == Long.MAX_VALUE ? 0 : heap);
        if (workers < 1 || workers > max) {
            throw new IllegalArgumentException("--workers: must be between 1 and " + max + " on this machine ("
                    + cores() + " cores, " + physicalMemory() / (1L << 20) + " MiB of memory, " + heap / (1L << 20)
                    + " MiB of heap per worker), got " + workers);
        }
    }
}
