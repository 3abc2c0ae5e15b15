package dev.hkd.experiments.cli;

import dev.hkd.runner.tracking.TrackingServer;
import dev.hkd.training.config.ConfigException;
import dev.hkd.training.data.DataException;
import dev.hkd.training.io.SafeTensorsException;
import dev.hkd.training.train.TrainingDivergedException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code hkd} command line. */
@Command(
        name = "hkd",
        // Every subcommand inherits -h/--help and -V/--version.
        scope = CommandLine.ScopeType.INHERIT,
        mixinStandardHelpOptions = true,
        version = "hkd 0.1.0",
        description = "Knowledge distillation on the JVM: HKD (ICCV 2021) and baselines on DJL.",
        subcommands = {
            QuickstartCommand.class,
            TrainCommand.class,
            ParityCommand.class,
            MethodsCommand.class,
            BenchCommand.class,
            ExportSavedModelCommand.class,
            RunCommand.class,
            ReportCommand.class,
            SyncCommand.class,
            ModelsCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Hkd implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code: 0 ok, 1 a check failed, 2 bad input. */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Hkd());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            // Every line that leaves the program goes through the one redaction of URI credentials.
            if (isUserError(e)) {
                commandLine.getErr().println("hkd: error: " + TrackingServer.redact(oneLine(e.getMessage())));
                return 2;
            }
            String storage = storageProblem(e);
            if (storage != null) {
                commandLine.getErr().println("hkd: error: " + TrackingServer.redact(storage));
                return 2;
            }
            if (System.getenv("HKD_DEBUG") != null) {
                e.printStackTrace(commandLine.getErr());
            } else {
                commandLine
                        .getErr()
                        .println("hkd: internal error: " + TrackingServer.redact(oneLine(e.toString()))
                                + " (set HKD_DEBUG=1 for the stack trace)");
            }
            return 3;
        });
        return cli.execute(args);
    }

    private static boolean isUserError(Exception e) {
        return e instanceof ConfigException
                || e instanceof DataException
                || e instanceof SafeTensorsException
                || e instanceof TrainingDivergedException
                || e instanceof IllegalArgumentException;
    }

    /**
     * The one line for a failure of the disk rather than of the program — full, read-only, over
     * quota, or not ours to write — wherever it surfaced (a checkpoint, the metrics log, a record):
     * the file when the error names it, and what to do. Null for any other failure.
     */
    static String storageProblem(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = String.valueOf(t.getMessage());
            if (message.startsWith("java.") && t.getCause() != null) {
                continue; // a bare wrapper: its cause says it better
            }
            String advice;
            if (message.contains("No space left on device") || message.contains("Disk quota exceeded")) {
                advice =
                        "the disk is full: free space and run it again (an interrupted run resumes from its last checkpoint)";
            } else if (message.contains("Read-only file system")
                    || t instanceof java.nio.file.AccessDeniedException
                    || message.contains("Permission denied")) {
                advice = "this folder cannot be written: choose an 'output' this user can write";
            } else if (message.contains("File name too long")) {
                advice = "a file name is too long for the file system: choose a shorter 'output'";
            } else {
                continue;
            }
            // The outermost message says what was being written (it names the file); a bare wrapper repeats its cause.
            String what = t instanceof java.nio.file.FileSystemException fs && fs.getFile() != null
                    ? fs.getFile() + ": "
                            + (fs.getReason() == null ? t.getClass().getSimpleName() : fs.getReason())
                    : oneLine(message);
            String outer = oneLine(e.getMessage());
            if (e != t
                    && !outer.isEmpty()
                    && !outer.startsWith("java.")
                    && !outer.equals(what)
                    && !what.contains(outer)) {
                what = outer;
            }
            return what + "; " + advice;
        }
        return null;
    }

    private static String oneLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("").trim();
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
