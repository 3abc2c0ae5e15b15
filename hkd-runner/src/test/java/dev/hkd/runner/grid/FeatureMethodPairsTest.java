package dev.hkd.runner.grid;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.hkd.runner.RepositoryRoot;
import dev.hkd.training.config.ConfigLoader;
import dev.hkd.training.config.MethodConfig;
import dev.hkd.training.config.RunConfig;
import dev.hkd.training.methods.DistillerRegistry;
import dev.hkd.training.methods.MethodSet;
import dev.hkd.training.models.FeatureNetwork;
import dev.hkd.training.models.ModelZoo;
import dev.hkd.training.train.Engines;
import dev.hkd.training.train.StepAssembly;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CIFAR-100 configs of NST, KDSVD, FSP, AB, FT and OFD name pairs those methods can run on:
 * each one's distiller prepares on its teacher and student (connectors built, channel counts equal
 * where KDSVD and FSP need them, the teacher's BatchNorms found for OFD's margins). A pair that
 * cannot is refused before training, in one line.
 */
class FeatureMethodPairsTest {

    static final Set<String> METHODS = Set.of("nst", "kdsvd", "fsp", "ab", "ft", "ofd");

    static Stream<Path> configs() throws Exception {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(RepositoryRoot.path().resolve("reproducibility/cifar100/students"))) {
            files = walk.filter(p -> METHODS.contains(p.getFileName().toString().replace(".yaml", "")))
                    .sorted()
                    .toList();
        }
        assertFalse(files.isEmpty(), "no configs of the feature methods");
        return files.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void theMethodPreparesOnItsPair(Path file) {
        RunConfig run = ConfigLoader.loadRun(file);
        prepare(
                MethodSet.build(run.method(), DistillerRegistry.fromClasspath(), file),
                run.teacher().model(),
                run.student().model());
    }

    @Test
    void pairsTheMethodsCannotRunAreRefusedInOneLine() {
        for (String[] c : new String[][] {
            {"kdsvd", "resnet32x4", "ShuffleV2"}, {"fsp", "vgg13", "MobileNetV2"}, {"ofd", "vgg13", "MobileNetV2"}
        }) {
            MethodSet method =
                    MethodSet.build(new MethodConfig(c[0], null, null), DistillerRegistry.fromClasspath(), null);
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> prepare(method, c[1], c[2]), c[0]);
            assertTrue(
                    e.getMessage().startsWith("method '" + c[0] + "'")
                            && !e.getMessage().contains("\n"),
                    e.getMessage());
        }
    }

    private static void prepare(MethodSet method, String teacherModel, String studentModel) {
        try (NDManager m = Engines.training().newBaseManager()) {
            FeatureNetwork teacher = ModelZoo.create(teacherModel, 100);
            teacher.initialize(m, DataType.FLOAT32, new Shape(1, 3, 32, 32));
            FeatureNetwork student = ModelZoo.create(studentModel, 100);
            student.initialize(m, DataType.FLOAT32, new Shape(1, 3, 32, 32));
            StepAssembly.prepare(method, m, student, teacher, m.zeros(new Shape(2, 3, 32, 32)), 100, 50_000);
        }
    }
}
