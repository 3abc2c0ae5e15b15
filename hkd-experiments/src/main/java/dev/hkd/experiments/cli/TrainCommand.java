package dev.hkd.experiments.cli;

import dev.hkd.runner.run.ConfigHash;
import dev.hkd.runner.run.MachineBounds;
import dev.hkd.runner.run.RecordedThreads;
import dev.hkd.runner.run.RunOptions;
import dev.hkd.runner.run.TrainingRun;
import dev.hkd.training.config.ConfigLoader;
import dev.hkd.training.config.RunConfig;
import dev.hkd.training.io.RunClaim;
import dev.hkd.training.io.RunFolder;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "train",
        description = "Train one run described by a YAML file (resumes an interrupted run in its output folder).")
final class TrainCommand implements Callable<Integer> {

    @Mixin
    Tracking tracking = new Tracking();

    @Parameters(paramLabel = "CONFIG.yaml", description = "the run configuration")
    Path config;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description = "folder with the dataset files (else $HKD_DATA_DIR, then the Debian package's)")
    Path dataDir;

    @Mixin
    TeacherCache teacherCache = new TeacherCache();

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description = "override a config value, e.g. --set method.name=crd+kd (repeatable)")
    java.util.List<String> overrides = new java.util.ArrayList<>();

    @Option(
            names = "--experiment",
            paramLabel = "NAME",
            description = "MLflow experiment (default: the config file's name)")
    String experiment;

    @Option(
            names = "--threads",
            paramLabel = "N",
            description = "libtorch intra-op threads (default: the count the run folder,"
                    + " or the folder of CONFIG.yaml, records; else libtorch's default). CPU results depend on it")
    Integer threads;

    @Override
    public Integer call() {
        RunConfig run = ConfigLoader.loadRun(config, overrides);
        MachineBounds.requireThreads(threads, "--threads");
        RunOptions options = teacherCache.applyTo(RunOptions.defaults(System.out)
                .withDataDir(dataDir)
                .withExperiment(experiment)
                .withTracking(tracking.server(), tracking.logCheckpoint));
        Path folder = Path.of(run.output());
        RunFolder runFolder = new RunFolder(folder);
        // Refused before anything is created in it, the claim included; a finished run is read without one (a read-only
        // store answers).
        RunFolder.Status status = runFolder.check(new RunFolder.Identity(ConfigHash.identity(run), null));
        TrainingRun.Outcome outcome;
        if (status == RunFolder.Status.FINISHED) {
            outcome = TrainingRun.execute(run, config, options);
        } else {
            RecordedThreads.apply(threads, folder, config, System.out);
            try (RunClaim claim = runFolder
                    .tryClaim()
                    .orElseThrow(() -> new IllegalArgumentException(
                            folder + " is being trained by another process; wait for it or choose another 'output'"))) {
                outcome = TrainingRun.execute(run, config, options);
            }
        }
        System.out.printf(
                "Result: %s %s top-1 %.2f%% (last), %.2f%% (best), top-5 %.2f%%; written to %s%n",
                outcome.model(), outcome.method(), outcome.lastTop1(), outcome.bestTop1(), outcome.lastTop5(), folder);
        return 0;
    }
}
