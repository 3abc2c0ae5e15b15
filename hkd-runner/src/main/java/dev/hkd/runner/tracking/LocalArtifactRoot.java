package dev.hkd.runner.tracking;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * A run's artifact location when the tracking server does not proxy artifacts
 * ({@code mlflow server --default-artifact-root DIR --no-serve-artifacts}): MLflow clients write
 * there themselves, so a folder this machine can write receives the files directly.
 */
final class LocalArtifactRoot {

    private LocalArtifactRoot() {
    }

    /** The folder of {@code artifactUri} ({@code file:/…} or an absolute path) if this machine can write it. */
    static Optional<Path> writableFolder(String artifactUri) {
        Path folder;
        try {
            if (artifactUri.startsWith("file:")) {
                folder = Path.of(URI.create(artifactUri));
            } else if (artifactUri.startsWith("/")) {
                folder = Path.of(artifactUri);
            } else {
                return Optional.empty();
            }
        } catch (IllegalArgumentException notAPath) {
            return Optional.empty();
        }
        // The run's folder may not exist yet; its nearest existing ancestor must be writable.
        Path existing = folder;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        return existing != null && Files.isDirectory(existing) && Files.isWritable(existing) ? Optional.of(folder) : Optional.empty();
    }

    /** Copies the named files of {@code runDir} into {@code folder}, each replaced atomically. */
    static void copy(Path runDir, List<String> names, Path folder) throws IOException {
        Files.createDirectories(folder);
        for (String name : names) {
            Path tmp = folder.resolve(name + ".tmp");
            Files.copy(runDir.resolve(name), tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, folder.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
