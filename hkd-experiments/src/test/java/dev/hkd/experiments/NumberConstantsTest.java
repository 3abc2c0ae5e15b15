package dev.hkd.experiments;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * No compiled class of ours passes a Java number to one of DJL's arithmetic {@code NDArray}
 * overloads ({@code x.mul(0.5f)}, {@code x.add(1e-7)}, …) except {@code dev.hkd.api.Scalars}. Under
 * the PyTorch engine those overloads wrap the number in a native tensor that autograd keeps but
 * Java frees, so a gradient then depends on when the garbage collector ran (docs/determinism.md). The rule reads bytecode, so it holds for code that never runs in a test too.
 */
class NumberConstantsTest {

    private static final Set<String> ARITHMETIC = Set.of(
            "add",
            "sub",
            "mul",
            "div",
            "pow",
            "maximum",
            "minimum",
            "mod",
            "rsub",
            "rdiv",
            "rpow",
            "rmod",
            "addi",
            "subi",
            "muli",
            "divi",
            "powi",
            "maximumi",
            "minimumi",
            "modi",
            "rsubi",
            "rdivi",
            "rpowi",
            "rmodi");
    private static final String ALLOWED = "dev.hkd.api.Scalars";
    private static final List<String> MODULES = List.of(
            "hkd-api",
            "hkd-losses",
            "hkd-graph",
            "hkd-baselines",
            "hkd-testkit",
            "hkd-training",
            "hkd-savedmodel",
            "hkd-runner",
            "hkd-experiments",
            "examples/distiller-plugin");

    @Test
    void noClassOutsideScalarsPassesAJavaNumberToAnNdArrayOperation() {
        TreeSet<String> found = new TreeSet<>();
        for (String module : MODULES) {
            found.addAll(violations(RepositoryRoot.path().resolve(module).resolve("target/classes")));
        }
        assertTrue(
                found.isEmpty(),
                "write Scalars.mul(x, 0.5) (dev.hkd.api.Scalars) instead of x.mul(0.5f):\n  "
                        + String.join("\n  ", found));
    }

    @Test
    void theRuleFindsAPlantedCall() {
        // This test class itself calls x.mul(0.5f) below: the rule must see it.
        assertFalse(violations(Path.of("target/test-classes")).isEmpty());
    }

    @SuppressWarnings("unused")
    private static ai.djl.ndarray.NDArray planted(ai.djl.ndarray.NDArray x) {
        return x.mul(0.5f);
    }

    static List<String> violations(Path classes) {
        assertTrue(Files.isDirectory(classes), classes + " is missing: build the module first (./mvnw install)");
        TreeSet<String> found = new TreeSet<>();
        for (JavaClass c : new ClassFileImporter().importPath(classes)) {
            if (c.getName().equals(ALLOWED)) {
                continue;
            }
            for (JavaMethodCall call : c.getMethodCallsFromSelf()) {
                var target = call.getTarget();
                List<String> params = target.getRawParameterTypes().stream()
                        .map(JavaClass::getName)
                        .toList();
                if (target.getOwner().isAssignableTo("ai.djl.ndarray.NDArray")
                        && ARITHMETIC.contains(target.getName())
                        && params.equals(List.of("java.lang.Number"))) {
                    found.add(call.getOrigin().getFullName() + " ("
                            + c.getSource().map(Object::toString).orElse("").replaceAll(".*/", "") + ":"
                            + call.getLineNumber() + ") calls " + target.getName() + "(Number)");
                }
            }
        }
        return List.copyOf(found);
    }
}
