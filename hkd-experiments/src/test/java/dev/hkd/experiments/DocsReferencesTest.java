package dev.hkd.experiments;

import static org.junit.jupiter.api.Assertions.assertTrue;

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

/**
 * The sources and docs point only at what the repository holds: no specification files of the
 * workplace that a clone lacks, and every section anchor of docs/methods.md that they cite exists.
 */
class DocsReferencesTest {

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
