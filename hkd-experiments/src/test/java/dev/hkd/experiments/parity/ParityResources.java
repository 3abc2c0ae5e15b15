package dev.hkd.experiments.parity;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The project's copies of the shared parity folders, which the tests read from their resources. */
final class ParityResources {

    private ParityResources() {}

    /** {@code /parity/NAME}; a missing one fails the test, naming its {@code what} cases. */
    static Path folder(String name, String what) {
        try {
            return Path.of(ParityResources.class.getResource("/parity/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new AssertionError(what + " cases missing from test resources: /parity/" + name, e);
        }
    }

    /** The names of the case files ({@code *.json}) in {@code dir}, sorted. */
    static List<String> caseFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".json"))
                    .sorted()
                    .toList();
        }
    }

    /** The case files in {@code dir}, sorted; a required one that is missing fails the test, naming it. */
    static List<String> casesRequiring(Path dir, List<String> required) throws IOException {
        List<String> present = caseFiles(dir);
        for (String name : required) {
            assertTrue(present.contains(name), "required parity case missing: " + dir.resolve(name));
        }
        return present;
    }

    /** A case that must pass; its detail says what differed. */
    static void assertPasses(ParityRunner.CaseResult r) {
        assertTrue(r.passed(), r.name() + " (" + r.method() + "): " + r.detail());
    }
}
