package dev.hkd.experiments;

import java.nio.file.Path;

/** Where the repository's root is during tests: Surefire passes it, and a module's folder is one below it. */
public final class RepositoryRoot {

    private RepositoryRoot() {}

    public static Path path() {
        return Path.of(System.getProperty("hkd.repo.root", ".."));
    }
}
