package dev.hkd.experiments.cli;

import dev.hkd.runner.run.RunOptions;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --cache-dir} option of the commands that train a teacher or reuse a cached one (a picocli mixin). */
final class TeacherCache {

    @Option(
            names = "--cache-dir",
            paramLabel = "DIR",
            description = "teacher cache (default $HKD_CACHE_DIR or ~/.cache/hkd)")
    Path dir;

    /** {@code options} with the cache of {@code --cache-dir}; without the option, the default they already have. */
    RunOptions applyTo(RunOptions options) {
        return dir == null ? options : options.withCacheDir(dir);
    }
}
