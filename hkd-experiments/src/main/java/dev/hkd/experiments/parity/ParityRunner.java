package dev.hkd.experiments.parity;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.hkd.testkit.parity.Comparison;
import dev.hkd.testkit.parity.ParityCase;
import dev.hkd.testkit.parity.ParityCheck;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Runs every reference case in a folder, one line per case and a final {@code N passed, M failed}.
 * A case of a method this project does not know is a failure, never a pass or a skip.
 */
public final class ParityRunner {

    /** The outcome of one case. */
    public record CaseResult(String name, String method, boolean passed, String detail) {}

    /** The method column of a trajectory case's result. */
    public static final String TRAJECTORY = "trajectory";

    private final DataType trajectoryPrecision;

    /** Trajectories replayed in float64, the precision the reference cases were computed in. */
    public ParityRunner() {
        this(DataType.FLOAT64);
    }

    /** Trajectories replayed in {@code trajectoryPrecision} (float32 or float64). */
    public ParityRunner(DataType trajectoryPrecision) {
        if (trajectoryPrecision != DataType.FLOAT32 && trajectoryPrecision != DataType.FLOAT64) {
            throw new IllegalArgumentException(
                    "trajectory precision must be float32 or float64, not " + trajectoryPrecision);
        }
        this.trajectoryPrecision = trajectoryPrecision;
    }

    /**
     * The checks, found like distillers with {@code ServiceLoader}: a plugin's jar adds the check
     * of its own method by listing it in {@code META-INF/services/dev.hkd.testkit.parity.ParityCheck}.
     */
    private final List<ParityCheck> checks = ServiceLoader.load(ParityCheck.class).stream()
            .map(ServiceLoader.Provider::get)
            .toList();

    /** Whether some check understands cases of this method. */
    public boolean knows(String method) {
        return method.equals("model")
                || method.equals(TRAJECTORY)
                || checks.stream().anyMatch(k -> k.methods().contains(method));
    }

    public List<CaseResult> runFolder(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + ": no such folder of parity cases");
        }
        if (TrajectoryCase.isCase(dir)) {
            return List.of(runTrajectory(dir));
        }
        List<Path> trajectories = sortedEntries(dir, p -> Files.isDirectory(p) && TrajectoryCase.isCase(p));
        List<Path> files = sortedEntries(
                dir,
                p -> p.toString().endsWith(".json")
                        && !p.getFileName().toString().equals("manifest.json"));
        List<Path> models = sortedEntries(dir, p -> p.getFileName().toString().endsWith(".io.safetensors"));
        if (files.isEmpty() && models.isEmpty() && trajectories.isEmpty()) {
            throw new IllegalArgumentException(dir + ": holds no parity cases (*.json, <model>.safetensors with"
                    + " <model>.io.safetensors, or trajectory folders with case.json)");
        }
        List<CaseResult> results = new ArrayList<>();
        for (Path f : files) {
            results.add(runCase(f));
        }
        for (Path io : models) {
            results.add(runModel(io));
        }
        for (Path trajectory : trajectories) {
            results.add(runTrajectory(trajectory));
        }
        return results;
    }

    /** The entries of {@code dir} that {@code kind} accepts, in name order. */
    private static List<Path> sortedEntries(Path dir, Predicate<Path> kind) {
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(kind).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * One trajectory folder: whole SGD steps of the authors' training loop replayed through this
     * project's training step. A case it cannot run (unknown model, method or field) fails.
     */
    public CaseResult runTrajectory(Path dir) {
        Comparison cmp = new Comparison();
        String name = dir.getFileName().toString();
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            TrajectoryCase c = TrajectoryCase.read(dir, m);
            name = c.name();
            TrajectoryParity.run(c, m, cmp, trajectoryPrecision);
        } catch (RuntimeException e) {
            cmp.fail("error: " + e.getMessage());
        }
        String detail = cmp.passed()
                ? cmp.summary()
                : cmp.failures().size() + " failed checks: " + String.join("; ", cmp.failures())
                        + (cmp.hasSummary() ? " [" + cmp.summary() + "]" : "");
        return new CaseResult(name, TRAJECTORY, cmp.passed(), detail);
    }

    /** One model fixture: {@code <model>.io.safetensors} beside {@code <model>.safetensors}. */
    public CaseResult runModel(Path io) {
        String file = io.getFileName().toString();
        String model = file.substring(0, file.length() - ".io.safetensors".length());
        Path weights = io.resolveSibling(model + ".safetensors");
        Comparison cmp = new Comparison();
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            if (!dev.hkd.training.models.ModelZoo.contains(model)) {
                cmp.fail("unknown model '" + model + "'");
            } else if (!Files.isRegularFile(weights)) {
                cmp.fail("missing " + weights.getFileName());
            } else {
                ModelParity.run(model, weights, io, m, cmp);
            }
        } catch (RuntimeException e) {
            cmp.fail("error: " + e.getMessage());
        }
        return new CaseResult(
                model,
                "model",
                cmp.passed(),
                cmp.passed()
                        ? cmp.summary().replaceFirst(", worst.*", " (logits and features, eval and train mode)")
                        : String.join("; ", cmp.failures()));
    }

    public CaseResult runCase(Path file) {
        ParityCase c;
        try {
            c = ParityCase.read(file);
        } catch (IllegalArgumentException e) {
            return new CaseResult(file.getFileName().toString(), "?", false, e.getMessage());
        }
        ParityCheck check = checks.stream()
                .filter(k -> k.methods().contains(c.method()))
                .findFirst()
                .orElse(null);
        if (check == null) {
            return new CaseResult(
                    c.name(),
                    c.method(),
                    false,
                    "unknown kind of case: method '" + c.method() + "' is not implemented here");
        }
        Comparison cmp = new Comparison();
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            check.run(c, m, cmp);
        } catch (RuntimeException e) {
            cmp.fail("error: " + e.getMessage());
        }
        return new CaseResult(
                c.name(), c.method(), cmp.passed(), cmp.passed() ? cmp.summary() : String.join("; ", cmp.failures()));
    }

    /** Prints one line per case and the closing tally; returns the number of failures. */
    public static int report(List<CaseResult> results, PrintStream out) {
        int failed = 0;
        for (CaseResult r : results) {
            out.printf("%s %-18s %s%n", r.passed() ? "PASS" : "FAIL", r.name(), r.detail());
            if (!r.passed()) {
                failed++;
            }
        }
        out.printf("%d passed, %d failed%n", results.size() - failed, failed);
        return failed;
    }
}
