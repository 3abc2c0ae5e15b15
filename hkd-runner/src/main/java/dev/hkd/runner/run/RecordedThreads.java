package dev.hkd.runner.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hkd.runner.tracking.Provenance;
import dev.hkd.runner.tracking.RunDescription;
import dev.hkd.training.train.Engines;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A run's CPU numbers depend on libtorch's intra-op thread count, so a run replays the count its
 * folder records ({@code tracking.json}'s {@value Provenance#THREADS_TAG} tag, written when the run
 * starts): when it resumes, and when a cell is re-run from its
 * folder's {@code config.yaml} into another output. An explicit {@code --threads} wins for a new
 * output; a folder being resumed keeps its own count, whatever is asked.
 */
public final class RecordedThreads {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RecordedThreads() {}

    /** The count recorded in a run folder, if any. */
    public static Optional<Integer> in(Path folder) {
        if (folder == null) {
            return Optional.empty();
        }
        try {
            Path tracking = folder.resolve(RunDescription.FILE);
            if (Files.isRegularFile(tracking)) {
                JsonNode v = JSON.readTree(tracking.toFile()).path("tags").path(Provenance.THREADS_TAG);
                if (v.isTextual() && v.asText().matches("\\d+")) {
                    return Optional.of(Integer.parseInt(v.asText()));
                }
            }
        } catch (IOException unreadable) {
            // A folder whose records cannot be read records nothing; training reports the damage itself.
        }
        return Optional.empty();
    }

    /**
     * Sets the thread count for a run into {@code output} from {@code configFile}: the output's record
     * (resuming), else {@code explicit}, else the record of the config file's folder (a cell re-run
     * from its folder), else libtorch's default. Says which in one line.
     */
    public static void apply(Integer explicit, Path output, Path configFile, PrintStream out) {
        if (explicit != null && explicit < 1) {
            throw new IllegalArgumentException("--threads: must be >= 1, got " + explicit);
        }
        Optional<Integer> resumed = in(output);
        Path configFolder =
                configFile == null ? null : configFile.toAbsolutePath().getParent();
        Optional<Integer> cell = output != null
                        && configFolder != null
                        && configFolder.equals(output.toAbsolutePath().normalize())
                ? Optional.empty()
                : in(configFolder);
        int threads;
        String why;
        if (resumed.isPresent()) {
            threads = resumed.get();
            why = "recorded in " + output.resolve(RunDescription.FILE)
                    + (explicit != null && !explicit.equals(threads)
                            ? "; the run resumes with them, not with the --threads " + explicit + " asked"
                            : "");
        } else if (explicit != null) {
            threads = explicit;
            why = "--threads";
        } else if (cell.isPresent()) {
            threads = cell.get();
            why = "as recorded beside " + configFile + "; --threads N to choose";
        } else {
            out.printf("threads: %d intra-op (recorded with the run)%n", Engines.intraOpThreads());
            return;
        }
        int got = Engines.useIntraOpThreads(threads);
        if (got != threads) {
            out.printf(
                    "threads: asked for %d intra-op, libtorch runs %d: the numbers will differ from a run with %d%n",
                    threads, got, threads);
        } else {
            out.printf("threads: %d intra-op (%s)%n", threads, why);
        }
    }
}
