package dev.hkd.training.io;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Places where a test can stop a process on purpose and kill it exactly there (the kill -9 soak
 * test). With the environment variable {@code HKD_PAUSE_AT=NAME#N} the process prints
 * {@code hkd: paused at NAME#N} on stderr the N-th time it reaches point {@code NAME}, then waits
 * until it is killed; {@code NAME:FOLDER#N} counts only the point's visits for the run folder
 * called {@code FOLDER} (e.g. {@code metrics-append:seed1#2}). Points: {@code checkpoint-write} (a checkpoint half written),
 * {@code metrics-append} (half of an epoch's metrics line written), {@code step} (before each
 * optimisation step, the teacher's as well as the student's), {@code init-stage-step} (before each
 * step of a method's init stage). Without the variable a point costs
 * one comparison.
 */
public final class PausePoints {

    private static final String NAME;
    private static final int OCCURRENCE;
    private static final AtomicInteger REACHED = new AtomicInteger();

    static {
        String spec = System.getenv("HKD_PAUSE_AT");
        int hash = spec == null ? -1 : spec.lastIndexOf('#');
        NAME = hash > 0 ? spec.substring(0, hash) : null;
        OCCURRENCE = hash > 0 ? Integer.parseInt(spec.substring(hash + 1)) : -1;
    }

    private PausePoints() {}

    /**
     * Marks that the process reached point {@code name} for the run folder {@code folder} (may be
     * null); pauses forever if it is the visit asked for.
     */
    public static void reach(String name, java.nio.file.Path folder) {
        if (NAME == null) {
            return;
        }
        boolean matches = NAME.equals(name)
                || folder != null && folder.getFileName() != null && NAME.equals(name + ":" + folder.getFileName());
        if (!matches || REACHED.incrementAndGet() != OCCURRENCE) {
            return;
        }
        System.err.println("hkd: paused at " + NAME + "#" + OCCURRENCE);
        System.err.flush();
        while (true) {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                // Only a kill ends the pause.
            }
        }
    }
}
