package dev.hkd.experiments.cli;

import ai.djl.ndarray.types.DataType;
import dev.hkd.experiments.parity.ParityRunner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "parity",
        description = "Check this project against the reference cases in DIR; prints 'N passed, M failed'.")
final class ParityCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(
            paramLabel = "DIR",
            arity = "1..*",
            description = "folders of reference cases (e.g. ../shared/parity/losses)")
    List<Path> dirs;

    @Option(
            names = "--implemented-only",
            description = "run only the cases of methods implemented so far (the rest are listed, not counted)")
    boolean implementedOnly;

    @Option(
            names = "--trajectory-precision",
            paramLabel = "float64|float32",
            defaultValue = "float64",
            description =
                    "precision of the replayed training steps of trajectory cases (default: float64, as the cases were"
                            + " computed; float32 results also depend on the thread count)")
    String trajectoryPrecision;

    @Override
    public Integer call() {
        ParityRunner runner = switch (trajectoryPrecision) {
            case "float64" -> new ParityRunner(DataType.FLOAT64);
            case "float32" -> new ParityRunner(DataType.FLOAT32);
            default ->
                throw new CommandLine.ParameterException(
                        spec.commandLine(),
                        "--trajectory-precision: '" + trajectoryPrecision + "' is not float64 or float32");
        };
        List<ParityRunner.CaseResult> results = new ArrayList<>();
        for (Path dir : dirs) {
            results.addAll(runner.runFolder(dir));
        }
        if (implementedOnly) {
            List<String> notRun = results.stream()
                    .filter(r -> !runner.knows(r.method()))
                    .map(ParityRunner.CaseResult::name)
                    .toList();
            if (!notRun.isEmpty()) {
                System.out.println("not run (method not implemented yet): " + String.join(", ", notRun));
            }
            results = results.stream().filter(r -> runner.knows(r.method())).toList();
        }
        return ParityRunner.report(results, System.out) == 0 ? 0 : 1;
    }
}
