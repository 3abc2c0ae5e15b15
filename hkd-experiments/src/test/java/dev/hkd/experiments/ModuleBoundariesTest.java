package dev.hkd.experiments;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each module's README ends its dependency statement with a line {@code Must not use: a.b, c.d};
 * no compiled class of that module may depend on a class in one of those packages (or below). The
 * check reads the bytecode, so a fully qualified name without an import is caught too.
 */
class ModuleBoundariesTest {

    private static final Path ROOT = Path.of(System.getProperty("hkd.repo.root", ".."));
    private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");
    private static final String RULE = "Must not use:";

    /** Every module of the root pom whose README states a rule. */
    static Stream<Named<Path>> modulesWithRules() throws IOException {
        List<Named<Path>> out = new ArrayList<>();
        Matcher m = MODULE.matcher(Files.readString(ROOT.resolve("pom.xml")));
        while (m.find()) {
            Path dir = ROOT.resolve(m.group(1));
            if (!forbidden(dir).isEmpty()) {
                out.add(Named.of(m.group(1), dir));
            }
        }
        return out.stream();
    }

    @Test
    void theLibraryModulesStateRules() throws IOException {
        List<String> named = modulesWithRules().map(Named::getName).toList();
        for (String module : List.of(
                "hkd-api",
                "hkd-losses",
                "hkd-graph",
                "hkd-baselines",
                "hkd-training",
                "hkd-savedmodel",
                "hkd-runner")) {
            assertTrue(
                    named.contains(module),
                    module + "/README.md has no '" + RULE + "' line; modules with one: " + named);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modulesWithRules")
    void noClassUsesWhatItsReadmeForbids(Path module) throws IOException {
        List<String> violations = violations(module, forbidden(module));
        assertTrue(
                violations.isEmpty(),
                module.getFileName() + " uses what its README forbids:\n  " + String.join("\n  ", violations));
    }

    @Test
    void theCheckFindsAUseWhenThereIsOne() throws IOException {
        // The command line uses picocli: forbidding it there must produce violations.
        assertFalse(
                violations(ROOT.resolve("hkd-experiments"), List.of("picocli")).isEmpty());
    }

    private static List<String> violations(Path module, List<String> forbidden) {
        Path classes = module.resolve("target/classes");
        assertTrue(Files.isDirectory(classes), classes + " is missing: build the module first (./mvnw install)");
        TreeSet<String> found = new TreeSet<>();
        for (JavaClass c : new ClassFileImporter().importPath(classes)) {
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                String pkg = d.getTargetClass().getPackageName();
                for (String f : forbidden) {
                    if (pkg.equals(f) || pkg.startsWith(f + ".")) {
                        found.add(c.getName() + " -> " + d.getTargetClass().getName());
                    }
                }
            }
        }
        return new ArrayList<>(found);
    }

    private static List<String> forbidden(Path module) throws IOException {
        Path readme = module.resolve("README.md");
        if (!Files.exists(readme)) {
            return List.of();
        }
        for (String line : Files.readAllLines(readme)) {
            if (line.startsWith(RULE)) {
                return Stream.of(line.substring(RULE.length()).split(","))
                        .map(String::trim)
                        .filter(s -> !s.isEmpty())
                        .toList();
            }
        }
        return List.of();
    }
}
