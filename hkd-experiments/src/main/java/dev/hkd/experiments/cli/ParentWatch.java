package dev.hkd.experiments.cli;

import java.util.Optional;

/**
 * Ends a child process (a grid cell, a teacher) when the runner that started it is gone. A runner
 * killed with SIGKILL cannot stop its children; without this a cell would train on unwatched, and
 * the re-run would find it claimed until it finished.
 */
final class ParentWatch {

    private ParentWatch() {}

    static void start(long parentPid) {
        Optional<ProcessHandle> parent = ProcessHandle.of(parentPid);
        Thread watch = new Thread(
                () -> {
                    while (parent.map(ProcessHandle::isAlive).orElse(false)) {
                        try {
                            Thread.sleep(250);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                    // halt, not exit: a dead runner has nobody to report to, and the claim dies with us.
                    Runtime.getRuntime().halt(137);
                },
                "parent-watch");
        watch.setDaemon(true);
        watch.start();
    }
}
