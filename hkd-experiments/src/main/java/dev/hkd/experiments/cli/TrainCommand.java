package dev.hkd.experiments.cli;

import dev.hkd.experiments.config.ConfigLoader;
import dev.hkd.experiments.config.RunConfig;
import dev.hkd.experiments.run.RunOptions;
import dev.hkd.experiments.run.TrainingRun;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "train", description = "Train one run described by a YAML file (resumes an interrupted run in its output folder).")
final class TrainCommand implements Callable<Integer> {

    @Parameters(paramLabel = "CONFIG.yaml", description = "the run configuration")
    Path config;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "folder with the dataset files (else $HKD_DATA_DIR, then the Debian package's)")
    Path dataDir;

    @Option(names = "--cache-dir", paramLabel = "DIR", description = "teacher cache (default $HKD_CACHE_DIR or ~/.cache/hkd)")
    Path cacheDir;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a config value, e.g. --set method.name=crd+kd (repeatable)")
    java.util.List<String> overrides = new java.util.ArrayList<>();

    @Override
    public Integer call() {
        RunConfig run = ConfigLoader.loadRun(config, overrides);
        RunOptions options = RunOptions.defaults(System.out).withDataDir(dataDir);
        if (cacheDir != null) {
            options = options.withCacheDir(cacheDir);
        }
        TrainingRun.Outcome outcome = TrainingRun.execute(run, config, options);
        System.out.printf("Result: %s %s top-1 %.2f%% (last), %.2f%% (best), top-5 %.2f%%; written to %s%n",
                outcome.model(), outcome.method(), outcome.lastTop1(), outcome.bestTop1(), outcome.lastTop5(), outcome.outputDir());
        return 0;
    }
}
