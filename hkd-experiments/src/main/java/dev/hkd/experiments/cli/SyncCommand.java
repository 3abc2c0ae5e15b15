package dev.hkd.experiments.cli;

import dev.hkd.runner.tracking.MlflowSync;
import dev.hkd.runner.tracking.MlflowTracker;
import dev.hkd.runner.tracking.RunDescription;
import dev.hkd.runner.tracking.TrackingServer;
import dev.hkd.training.io.RunClaim;
import dev.hkd.training.io.RunFolder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.mlflow.tracking.MlflowClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
        name = "sync",
        description = "Send local runs to MLflow: creates what the server lacks, sends missing metrics, finishes"
                + " finished runs. Idempotent.")
final class SyncCommand implements Callable<Integer> {

    @Mixin
    Tracking tracking = new Tracking();

    @Parameters(
            paramLabel = "DIR",
            arity = "1..*",
            description = "run folders or folders above them (e.g. a grid's output)")
    List<Path> dirs;

    @Override
    public Integer call() {
        TrackingServer server = tracking.server();
        if (server == null) {
            throw new IllegalArgumentException(
                    "no tracking server: pass --tracking-uri URL or set MLFLOW_TRACKING_URI");
        }
        List<Path> runs =
                dirs.stream().flatMap(SyncCommand::runFolders).distinct().toList();
        if (runs.isEmpty()) {
            throw new IllegalArgumentException(
                    "no runs below " + dirs + " (a run folder holds " + RunDescription.FILE + ")");
        }
        int failed = 0;
        try (MlflowClient client = server.client()) {
            MlflowSync sync = new MlflowSync(server, client, tracking.logCheckpoint);
            for (Path run : runs) {
                Optional<RunClaim> claim = new RunFolder(run).tryClaim();
                if (claim.isEmpty()) {
                    System.out.printf("%s: running in another process, which sends it itself; skipped%n", run);
                    continue;
                }
                try (RunClaim held = claim.get()) {
                    MlflowSync.Report r = sync.sync(run);
                    System.out.printf(
                            "%s: run %s%s, %d metric points sent%s%n",
                            run,
                            r.runId(),
                            r.created() ? " created" : "",
                            r.pointsSent(),
                            r.finished() ? ", FINISHED" : ", unfinished");
                    if (r.artifactsNotSent() != null) {
                        System.out.printf("%s: artifacts not sent: %s%n", run, r.artifactsNotSent());
                    }
                } catch (RuntimeException e) {
                    failed++;
                    System.out.printf("%s: not synced: %s%n", run, MlflowTracker.oneLine(e));
                }
            }
        }
        System.out.printf("%d runs synced with %s, %d failed%n", runs.size() - failed, server, failed);
        return failed == 0 ? 0 : 1;
    }

    private static Stream<Path> runFolders(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + ": no such folder");
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files
                    .filter(f -> f.getFileName().toString().equals(RunDescription.FILE))
                    .map(Path::getParent)
                    .sorted()
                    .toList()
                    .stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
