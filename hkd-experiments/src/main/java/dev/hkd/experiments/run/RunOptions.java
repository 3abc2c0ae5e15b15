package dev.hkd.experiments.run;

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
 */
public record RunOptions(Path dataDir, Path cacheDir, boolean progressBar, PrintStream out, Map<String, String> environment) {

    public static RunOptions defaults(PrintStream out) {
        Map<String, String> env = System.getenv();
        String cache = env.get("HKD_CACHE_DIR");
        Path cacheDir = cache != null && !cache.isBlank() ? Path.of(cache)
                : Path.of(System.getProperty("user.home"), ".cache", "hkd");
        return new RunOptions(null, cacheDir, System.console() != null, out, env);
    }

    public RunOptions withDataDir(Path dir) {
        return new RunOptions(dir, cacheDir, progressBar, out, environment);
    }

    public RunOptions withCacheDir(Path dir) {
        return new RunOptions(dataDir, dir, progressBar, out, environment);
    }
}
