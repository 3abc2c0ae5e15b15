package dev.hkd.experiments.config;

import java.nio.file.Path;

/** Where the repository's root is during tests (Surefire passes it). */
public final class ReproducibilityConfigsTestSupport {

    private ReproducibilityConfigsTestSupport() {
    }

    public static Path root() {
        String root = System.getProperty("hkd.repo.root");
        return root == null ? Path.of("..") : Path.of(root);
    }
}
