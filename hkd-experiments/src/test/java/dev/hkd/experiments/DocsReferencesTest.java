package dev.hkd.experiments;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hkd.training.config.ConfigLoader;
import dev.hkd.training.config.RunConfig;
import dev.hkd.training.methods.DistillerRegistry;
import dev.hkd.training.methods.MethodSet;
import dev.hkd.training.models.ModelZoo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sources and docs point only at what the repository holds: no specification files of the
 * workplace that a clone lacks, every section anchor of docs/methods.md that they cite exists, every
 * relative link of README.md and docs/ resolves, and the README stays a short door.
 */
class DocsReferencesTest {

    private static final int README_MAX_LINES = 200;
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern CHANGELOG = Pattern.compile("\\bcommit [0-9a-f]{7,}\\b|before this change");

    private static final Path ROOT = RepositoryRoot.path();
    // Spelled in two parts so that this file does not match itself.
    private static final Pattern OUTSIDE = Pattern.compile("ALGORITHMS" + "\\.md|SSKD" + "\\.md");
    private static final Pattern SECTION = Pattern.compile("docs/methods\\.md#([a-z-]+)");

    @Test
    void nothingPointsAtSpecificationsOutsideTheRepository() {
        List<String> found = new ArrayList<>();
        for (Path file : textFiles()) {
            String text = read(file);
            if (OUTSIDE.matcher(text).find()) {
                found.add(ROOT.relativize(file).toString());
            }
        }
        assertTrue(found.isEmpty(), "references to files the repository does not hold in " + found);
    }

    @Test
    void everyMethodsSectionReferencedExists() {
        String methods = read(ROOT.resolve("docs/methods.md"));
        List<String> missing = new ArrayList<>();
        for (Path file : textFiles()) {
            Matcher m = SECTION.matcher(read(file));
            while (m.find()) {
                if (!methods.contains("<a id=\"" + m.group(1) + "\"></a>")) {
                    missing.add(ROOT.relativize(file) + ": #" + m.group(1));
                }
            }
        }
        assertTrue(missing.isEmpty(), "sections docs/methods.md does not have: " + missing);
    }

    @Test
    void theReadmeIsShort() throws IOException {
        long lines = Files.readAllLines(ROOT.resolve("README.md")).size();
        assertTrue(
                lines <= README_MAX_LINES,
                "README.md has " + lines + " lines; the reference belongs in docs/ (at most " + README_MAX_LINES + ")");
    }

    @Test
    void everyRelativeLinkOfTheReadmeAndTheDocsResolves() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path file : userDocs()) {
            Matcher m = LINK.matcher(read(file));
            while (m.find()) {
                String target = m.group(1);
                if (target.matches("[a-z]+:.*")) {
                    continue; // https:, mailto:
                }
                String[] parts = target.split("#", 2);
                Path linked = parts[0].isEmpty()
                        ? file
                        : file.getParent().resolve(parts[0]).normalize();
                if (!Files.exists(linked)) {
                    broken.add(ROOT.relativize(file) + ": " + target + " (no such file)");
                } else if (parts.length == 2
                        && Files.isRegularFile(linked)
                        && !anchors(read(linked)).contains(parts[1])) {
                    broken.add(ROOT.relativize(file) + ": " + target + " (no such section)");
                }
            }
        }
        assertTrue(broken.isEmpty(), "broken links:\n  " + String.join("\n  ", broken));
    }

    @Test
    void theReadmesExampleRunIsAValidConfiguration(@TempDir Path dir) throws IOException {
        String readme = read(ROOT.resolve("README.md"));
        Matcher yaml = Pattern.compile("## A run in one file\\s+```yaml\\n(.*?)```", Pattern.DOTALL)
                .matcher(readme);
        assertTrue(yaml.find(), "README.md has no yaml block under '## A run in one file'");
        Path file = Files.writeString(dir.resolve("readme-example.yaml"), yaml.group(1));
        RunConfig run = ConfigLoader.loadRun(file);
        MethodSet.build(run.method(), DistillerRegistry.fromClasspath(), file);
        for (String model : List.of(run.teacher().model(), run.student().model())) {
            assertTrue(ModelZoo.contains(model), "README example names an unknown model " + model);
        }
    }

    @Test
    void theDocsCarryNoChangelogLines() throws IOException {
        List<String> found = new ArrayList<>();
        for (Path file : userDocs()) {
            Matcher m = CHANGELOG.matcher(read(file));
            while (m.find()) {
                found.add(ROOT.relativize(file) + ": " + m.group());
            }
        }
        assertTrue(found.isEmpty(), "history belongs in git, not in the docs: " + found);
    }

    /** The README, the docs pages and the module READMEs: what a user reads. */
    private static List<Path> userDocs() throws IOException {
        List<Path> files = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        try (Stream<Path> modules = Files.list(ROOT)) {
            modules.map(p -> p.resolve("README.md"))
                    .filter(Files::isRegularFile)
                    .filter(p -> !p.equals(ROOT.resolve("README.md")))
                    .sorted()
                    .forEach(files::add);
        }
        return files;
    }

    /** Explicit {@code <a id>} anchors and GitHub's heading slugs. */
    private static List<String> anchors(String markdown) {
        List<String> out = new ArrayList<>();
        Matcher ids = Pattern.compile("<a id=\"([^\"]+)\"></a>").matcher(markdown);
        while (ids.find()) {
            out.add(ids.group(1));
        }
        for (String line : markdown.split("\n")) {
            if (line.startsWith("#")) {
                String title = line.replaceFirst("^#+\\s*", "").toLowerCase(java.util.Locale.ROOT);
                out.add(title.replaceAll("[^a-z0-9 _-]", "").replace(' ', '-'));
            }
        }
        return out;
    }

    private static List<Path> textFiles() {
        try (Stream<Path> walk = Files.walk(ROOT)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> !ROOT.relativize(p).toString().matches("(.*/)?(target|\\.git|\\.mvn)/.*"))
                    .filter(p -> p.toString().matches(".*\\.(java|md|py|yaml|yml|sh|xml)$"))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }
}
