package dev.hkd.experiments.cli;

import dev.hkd.experiments.parity.ParityRunner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "parity", description = "Check this project against the reference cases in DIR; prints 'N passed, M failed'.")
final class ParityCommand implements Callable<Integer> {

    @Parameters(paramLabel = "DIR", arity = "1..*", description = "folders of reference cases (e.g. ../shared/parity/losses)")
    List<Path> dirs;

    @Option(names = "--implemented-only", description = "run only the cases of methods implemented so far (the rest are listed, not counted)")
    boolean implementedOnly;

    @Override
    public Integer call() {
        ParityRunner runner = new ParityRunner();
        List<ParityRunner.CaseResult> results = new ArrayList<>();
        for (Path dir : dirs) {
            results.addAll(runner.runFolder(dir));
        }
        if (implementedOnly) {
            List<String> notRun = results.stream().filter(r -> !runner.knows(r.method())).map(ParityRunner.CaseResult::name).toList();
            if (!notRun.isEmpty()) {
                System.out.println("not run (method not implemented yet): " + String.join(", ", notRun));
            }
            results = results.stream().filter(r -> runner.knows(r.method())).toList();
        }
        return ParityRunner.report(results, System.out) == 0 ? 0 : 1;
    }
}
