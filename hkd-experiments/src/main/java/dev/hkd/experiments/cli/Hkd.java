package dev.hkd.experiments.cli;

import dev.hkd.runner.tracking.TrackingServer;
import dev.hkd.training.config.ConfigException;
import dev.hkd.training.data.DataException;
import dev.hkd.training.io.SafeTensorsException;
import dev.hkd.training.train.TrainingDivergedException;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** The {@code hkd} command line. */
@Command(name = "hkd", mixinStandardHelpOptions = true, version = "hkd 0.1.0",
        description = "Knowledge distillation on the JVM: HKD (ICCV 2021) and baselines on DJL.",
        subcommands = {QuickstartCommand.class, TrainCommand.class, ParityCommand.class, MethodsCommand.class, BenchCommand.class, ExportSavedModelCommand.class, RunCommand.class, ReportCommand.class, SyncCommand.class,
                ModelsCommand.class, CommandLine.HelpCommand.class})
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
                commandLine.getErr().println("hkd: internal error: " + TrackingServer.redact(oneLine(e.toString()))
                        + " (set HKD_DEBUG=1 for the stack trace)");
            }
            return 3;
        });
        return cli.execute(args);
    }

    private static boolean isUserError(Exception e) {
        return e instanceof ConfigException || e instanceof DataException || e instanceof SafeTensorsException
                || e instanceof TrainingDivergedException || e instanceof IllegalArgumentException;
    }

    /**
     * The one line for a failure of the disk rather than of the program — full, read-only, over
     * quota, or not ours to write — wherever it surfaced (a checkpoint, the metrics log, a record):
     * the file when the error names it, and what to do. Null for any other failure.
     */
    static String storageProblem(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (!(t instanceof java.io.IOException io)) {
                continue;
            }
            String message = String.valueOf(io.getMessage());
            String file = io instanceof java.nio.file.FileSystemException fs && fs.getFile() != null ? fs.getFile() + ": " : "";
            // A wrapper that added context (the file) says where; one that only repeats the cause does not.
            String outer = oneLine(e.getMessage());
            String where = !file.isEmpty() ? file : e != t && !outer.isEmpty() && !outer.startsWith("java.") && !outer.equals(message)
                    ? outer.replace(message, "").replaceAll("[\\s:(]+$", "") + ": " : "";
            if (message.contains("No space left on device") || message.contains("Disk quota exceeded")) {
                return where + "the disk is full (" + oneLine(message) + "); free space and run it again: an interrupted run resumes"
                        + " from its last checkpoint";
            }
            if (message.contains("Read-only file system") || t instanceof java.nio.file.AccessDeniedException
                    || message.contains("Permission denied")) {
                return where + "cannot write there (" + oneLine(message) + "); choose an 'output' this user can write";
            }
            if (message.contains("File name too long")) {
                return where + "a file name is too long for the file system; choose a shorter 'output'";
            }
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
