package dev.hkd.experiments.parity;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs every reference case in a folder, one line per case and a final {@code N passed, M failed}.
 * A case of a method this project does not know is a failure, never a pass or a skip.
 */
public final class ParityRunner {

    /** The outcome of one case. */
    public record CaseResult(String name, String method, boolean passed, String detail) {
    }

    private final List<ParityCheck> checks = List.of(new KdParity(), new HkdParity(), new CrdParity(), new RkdParity(), new HclParity(),
            new FeatureLossParity(), new ModuleLossParity(), new SskdParity());

    /** Whether some check understands cases of this method. */
    public boolean knows(String method) {
        return method.equals("model") || checks.stream().anyMatch(k -> k.methods().contains(method));
    }

    public List<CaseResult> runFolder(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + ": no such folder of parity cases");
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.toString().endsWith(".json") && !p.getFileName().toString().equals("manifest.json"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Path> models;
        try (Stream<Path> list = Files.list(dir)) {
            models = list.filter(p -> p.getFileName().toString().endsWith(".io.safetensors")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (files.isEmpty() && models.isEmpty()) {
            throw new IllegalArgumentException(dir + ": holds no parity cases (*.json, or <model>.safetensors with <model>.io.safetensors)");
        }
        List<CaseResult> results = new ArrayList<>();
        for (Path f : files) {
            results.add(runCase(f));
        }
        for (Path io : models) {
            results.add(runModel(io));
        }
        return results;
    }

    /** One model fixture: {@code <model>.io.safetensors} beside {@code <model>.safetensors}. */
    public CaseResult runModel(Path io) {
        String file = io.getFileName().toString();
        String model = file.substring(0, file.length() - ".io.safetensors".length());
        Path weights = io.resolveSibling(model + ".safetensors");
        Comparison cmp = new Comparison();
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            if (!dev.hkd.experiments.models.ModelZoo.contains(model)) {
                cmp.fail("unknown model '" + model + "'");
            } else if (!Files.isRegularFile(weights)) {
                cmp.fail("missing " + weights.getFileName());
            } else {
                ModelParity.run(model, weights, io, m, cmp);
            }
        } catch (RuntimeException e) {
            cmp.fail("error: " + e.getMessage());
        }
        return new CaseResult(model, "model", cmp.passed(),
                cmp.passed() ? cmp.summary().replaceFirst(", worst.*", " (logits and features, eval and train mode)") : String.join("; ", cmp.failures()));
    }

    public CaseResult runCase(Path file) {
        ParityCase c;
        try {
            c = ParityCase.read(file);
        } catch (IllegalArgumentException e) {
            return new CaseResult(file.getFileName().toString(), "?", false, e.getMessage());
        }
        ParityCheck check = checks.stream().filter(k -> k.methods().contains(c.method())).findFirst().orElse(null);
        if (check == null) {
            return new CaseResult(c.name(), c.method(), false, "unknown kind of case: method '" + c.method() + "' is not implemented here");
        }
        Comparison cmp = new Comparison();
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            check.run(c, m, cmp);
        } catch (RuntimeException e) {
            cmp.fail("error: " + e.getMessage());
        }
        return new CaseResult(c.name(), c.method(), cmp.passed(),
                cmp.passed() ? cmp.summary() : String.join("; ", cmp.failures()));
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
