package dev.hkd.runner.run;

import dev.hkd.runner.tracking.TrackingServer;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * Command-line settings that are not part of a run's identity.
 *
 * @param dataDir {@code --data-dir}, or null
 * @param cacheDir where trained teachers are cached ({@code $HKD_CACHE_DIR}, default {@code ~/.cache/hkd})
 * @param progressBar whether to draw a progress bar (a terminal is attached)
 * @param out where progress lines go
 * @param environment the process environment (data and cache lookups)
 * @param experiment the experiment runs are recorded under (a grid's name); null: the config file's name
 * @param tracking the MLflow server runs are sent to, or null for the local store only
 * @param uploadCheckpoint whether finished runs upload their checkpoints as artifacts
 */
public record RunOptions(
        Path dataDir,
        Path cacheDir,
        boolean progressBar,
        PrintStream out,
        Map<String, String> environment,
        String experiment,
        TrackingServer tracking,
        boolean uploadCheckpoint) {

    public static RunOptions defaults(PrintStream out) {
        Map<String, String> env = System.getenv();
        String cache = env.get("HKD_CACHE_DIR");
        Path cacheDir = cache != null && !cache.isBlank()
                ? Path.of(cache)
                : Path.of(System.getProperty("user.home"), ".cache", "hkd");
        return new RunOptions(null, cacheDir, System.console() != null, out, env, null, null, false);
    }

    public RunOptions withDataDir(Path dir) {
        return new RunOptions(dir, cacheDir, progressBar, out, environment, experiment, tracking, uploadCheckpoint);
    }

    public RunOptions withCacheDir(Path dir) {
        return new RunOptions(dataDir, dir, progressBar, out, environment, experiment, tracking, uploadCheckpoint);
    }

    public RunOptions withExperiment(String name) {
        return new RunOptions(dataDir, cacheDir, progressBar, out, environment, name, tracking, uploadCheckpoint);
    }

    /** Sends runs to {@code server} (null: local store only), with checkpoints as artifacts if asked. */
    public RunOptions withTracking(TrackingServer server, boolean checkpoints) {
        return new RunOptions(dataDir, cacheDir, progressBar, out, environment, experiment, server, checkpoints);
    }
}
