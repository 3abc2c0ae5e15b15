package dev.hkd.experiments.cli;

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
            if (isUserError(e)) {
                commandLine.getErr().println("hkd: error: " + e.getMessage());
                return 2;
            }
            if (System.getenv("HKD_DEBUG") != null) {
                e.printStackTrace(commandLine.getErr());
            } else {
                commandLine.getErr().println("hkd: internal error: " + e + " (set HKD_DEBUG=1 for the stack trace)");
            }
            return 3;
        });
        return cli.execute(args);
    }

    private static boolean isUserError(Exception e) {
        return e instanceof ConfigException || e instanceof DataException || e instanceof SafeTensorsException
                || e instanceof TrainingDivergedException || e instanceof IllegalArgumentException;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
