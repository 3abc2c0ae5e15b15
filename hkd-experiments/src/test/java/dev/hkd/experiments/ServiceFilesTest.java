package dev.hkd.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code ServiceLoader} finds only what a module's {@code META-INF/services} file lists, so a
 * provider missing from it is a method that silently does not exist. Each module's file must list
 * exactly the concrete classes of that module that implement the service.
 */
class ServiceFilesTest {

    private static final List<String> SERVICES =
            List.of("dev.hkd.api.DistillerProvider", "dev.hkd.testkit.parity.ParityCheck");

    static List<Named<Path>> modules() {
        return List.of("hkd-baselines", "hkd-graph", "hkd-experiments", "examples/distiller-plugin").stream()
                .map(m -> Named.of(m, RepositoryRoot.path().resolve(m)))
                .toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modules")
    void everyProviderIsListedAndEveryListedClassIsAProvider(Path module) throws IOException {
        var classes = new ClassFileImporter().importPath(module.resolve("target/classes"));
        for (String service : SERVICES) {
            TreeSet<String> implemented = new TreeSet<>();
            for (JavaClass c : classes) {
                if (c.isAssignableTo(service)
                        && !c.isInterface()
                        && !c.getModifiers().contains(JavaModifier.ABSTRACT)
                        && c.getModifiers().contains(JavaModifier.PUBLIC)) {
                    implemented.add(c.getName());
                }
            }
            Path file = module.resolve("src/main/resources/META-INF/services/" + service);
            TreeSet<String> listed = Files.exists(file)
                    ? Files.readAllLines(file).stream()
                            .map(String::strip)
                            .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                            .collect(Collectors.toCollection(TreeSet::new))
                    : new TreeSet<>();
            assertEquals(
                    implemented,
                    listed,
                    module.getFileName() + ": " + file.getFileName() + " must list exactly the module's public "
                            + service + " classes");
        }
    }

    /**
     * One way to write a method: every provider a module ships extends {@code AbstractDistillerProvider}, so its
     * id, description, options record, defaults and weight are given once, in its constructor.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("modules")
    void everyProviderIsWrittenInTheOneStyle(Path module) {
        var classes = new ClassFileImporter().importPath(module.resolve("target/classes"));
        TreeSet<String> longHand = new TreeSet<>();
        for (JavaClass c : classes) {
            if (c.isAssignableTo("dev.hkd.api.DistillerProvider")
                    && !c.isInterface()
                    && !c.getModifiers().contains(JavaModifier.ABSTRACT)
                    && !c.isAssignableTo("dev.hkd.api.AbstractDistillerProvider")) {
                longHand.add(c.getName());
            }
        }
        assertEquals(
                new TreeSet<String>(),
                longHand,
                module.getFileName() + ": providers must extend dev.hkd.api.AbstractDistillerProvider");
    }
}
