package dev.hkd.training.io;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The layout of a run's output folder, the one place that names its files:
 * <ul>
 *   <li>{@code config.yaml}: the resolved configuration, which the folder answers for;</li>
 *   <li>{@code metrics.jsonl}: one line per finished epoch;</li>
 *   <li>{@code last.safetensors}, {@code best.safetensors}: checkpoints ({@link dev.hkd.training.train.Checkpoint});</li>
 *   <li>{@code result.json} when the run finished, or {@code failed.json} when it diverged;</li>
 *   <li>{@code tracking.json}: what a tracker records besides metrics;</li>
 *   <li>{@code .claim}: the lock a process holds while it trains or syncs the run ({@link RunClaim}).</li>
 * </ul>
 *
 * <pre>{@code
 * RunFolder run = new RunFolder(Path.of("runs/kd"));
 * if (!run.isFinished()) { try (RunClaim claim = run.tryClaim().orElseThrow()) { ... } }
 * }</pre>
 */
public record RunFolder(Path dir) {

    public static final String CONFIG = "config.yaml";
    public static final String METRICS = "metrics.jsonl";
    public static final String LAST_CHECKPOINT = "last.safetensors";
    public static final String BEST_CHECKPOINT = "best.safetensors";
    public static final String RESULT = "result.json";
    public static final String FAILED = "failed.json";
    public static final String TRACKING = "tracking.json";
    public static final String CLAIM = ".claim";

    /** What a finished run leaves to look at and to upload as artifacts, checkpoints excepted. */
    public static final List<String> RECORDS = List.of(CONFIG, RESULT, METRICS);

    public Path config() {
        return dir.resolve(CONFIG);
    }

    public Path metrics() {
        return dir.resolve(METRICS);
    }

    public Path lastCheckpoint() {
        return dir.resolve(LAST_CHECKPOINT);
    }

    public Path bestCheckpoint() {
        return dir.resolve(BEST_CHECKPOINT);
    }

    public Path result() {
        return dir.resolve(RESULT);
    }

    public Path failed() {
        return dir.resolve(FAILED);
    }

    public Path tracking() {
        return dir.resolve(TRACKING);
    }

    /** True when the run finished: its {@code result.json} exists. */
    public boolean isFinished() {
        return Files.isRegularFile(result());
    }

    /** True when the run diverged: its {@code failed.json} exists. */
    public boolean hasDiverged() {
        return Files.isRegularFile(failed());
    }

    /** The claim, or empty if another process holds it. */
    public Optional<RunClaim> tryClaim() {
        return RunClaim.tryClaim(dir);
    }

    /** The claim, trying again for up to {@code patience} (a killed runner's child lets go within a second). */
    public Optional<RunClaim> tryClaim(Duration patience) {
        return RunClaim.tryClaim(dir, patience);
    }

    /** The claim, waiting while another process holds it. */
    public RunClaim claim() {
        return RunClaim.claim(dir);
    }

    /** True for the file that ends a run, finished or diverged ({@code result.json}, {@code failed.json}). */
    public static boolean isEndFile(Path file) {
        String name = file.getFileName().toString();
        return name.equals(RESULT) || name.equals(FAILED);
    }
}
