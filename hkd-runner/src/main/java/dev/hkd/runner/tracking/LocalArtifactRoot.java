package dev.hkd.runner.tracking;

import dev.hkd.runner.run.ContainedPath;
import dev.hkd.training.config.ConfigException;
import dev.hkd.training.io.RunFolder;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * A run's artifact location when the tracking server does not proxy artifacts
 * ({@code mlflow server --default-artifact-root DIR --no-serve-artifacts}): MLflow clients write
 * there themselves. The location is the server's answer, so it is trusted only as far as the user
 * allowed: it must lie inside the artifact root the user named ({@code --artifact-root}), and it
 * must be no run folder, lie in none and contain none — a server cannot have us overwrite a run's records.
 */
final class LocalArtifactRoot {

    /** How deep below the location we look for run folders before writing into it. */
    private static final int SEARCH_DEPTH = 6;

    private LocalArtifactRoot() {}

    /**
     * The folder of {@code artifactUri} ({@code file:/…} or an absolute path) inside {@code root}, or
     * a {@link ConfigException} saying why the files may not go there.
     */
    static Path folderInside(Path root, String artifactUri) {
        Path folder;
        try {
            if (artifactUri.startsWith("file:")) {
                folder = Path.of(URI.create(artifactUri));
            } else if (artifactUri.startsWith("/")) {
                folder = Path.of(artifactUri);
            } else {
                throw new ConfigException(
                        "the server's artifact location " + TrackingServer.redact(artifactUri) + " is no local folder");
            }
        } catch (IllegalArgumentException notAPath) {
            throw new ConfigException(
                    "the server's artifact location " + TrackingServer.redact(artifactUri) + " is no local folder");
        }
        Path inside =
                ContainedPath.inside(root, folder, "the server's artifact location (--artifact-root " + root + ")");
        Path realRoot = ContainedPath.inside(root, root, "--artifact-root");
        for (Path p = inside; p != null && p.startsWith(realRoot); p = p.getParent()) {
            if (isRunFolder(p)) {
                throw new ConfigException(
                        "the server's artifact location " + inside + (p.equals(inside) ? " is" : " lies in")
                                + " a run folder (" + p + "); artifacts are never written into one");
            }
        }
        if (Files.isDirectory(inside)) {
            try (Stream<Path> below = Files.walk(inside, SEARCH_DEPTH)) {
                below.filter(Files::isDirectory)
                        .filter(LocalArtifactRoot::isRunFolder)
                        .findFirst()
                        .ifPresent(run -> {
                            throw new ConfigException("the server's artifact location " + inside
                                    + " holds a run folder (" + run + "); artifacts are never written over one");
                        });
            } catch (IOException e) {
                throw new ConfigException(
                        "the server's artifact location " + inside + " cannot be read (" + e.getMessage() + ")");
            }
        } else if (Files.exists(inside)) {
            throw new ConfigException("the server's artifact location " + inside + " is a file, not a folder");
        }
        Path existing = inside;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing) || !Files.isWritable(existing)) {
            throw new ConfigException("the server's artifact location " + inside + " is not writable here");
        }
        return inside;
    }

    /** What only a run folder holds (the files we copy as artifacts are not among them). */
    private static boolean isRunFolder(Path dir) {
        return Files.exists(dir.resolve(RunFolder.HASH))
                || Files.exists(dir.resolve(RunFolder.CLAIM))
                || Files.exists(dir.resolve(RunDescription.FILE))
                || Files.exists(dir.resolve(RunFolder.DATA_FINGERPRINT));
    }

    /** Copies the named files of {@code runDir} into {@code folder}, each replaced atomically. */
    static void copy(Path runDir, List<String> names, Path folder) throws IOException {
        Files.createDirectories(folder);
        for (String name : names) {
            Path target = ContainedPath.child(folder, name, "artifact");
            Path tmp = ContainedPath.child(folder, name + ".tmp", "artifact");
            Files.copy(runDir.resolve(name), tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
