package dev.hkd.experiments.cli;

import dev.hkd.api.DistillerProvider;
import dev.hkd.training.methods.DistillerRegistry;
import picocli.CommandLine.Command;

@Command(name = "methods", description = "List the registered distillers (id and one line).")
final class MethodsCommand implements Runnable {

    @Override
    public void run() {
        System.out.printf("%-10s %s%n", "vanilla", "cross-entropy only (the student baseline)");
        for (DistillerProvider<?> p : DistillerRegistry.fromClasspath().providers()) {
            System.out.printf("%-10s %s%n", p.id(), p.description());
        }
    }
}
