package dev.hkd.experiments.bench;

import java.lang.management.ManagementFactory;

/** CPU time the whole process has used (every thread, libtorch's included; user and system), for benchmarks on a shared machine. */
final class ProcessCpu {

    private ProcessCpu() {}

    /** Nanoseconds of CPU time so far; −1 where the JVM does not report it. */
    static long nanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }
}
