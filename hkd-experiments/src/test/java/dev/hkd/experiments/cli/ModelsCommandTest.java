package dev.hkd.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hkd models} says what each model is; a model id that is nearly right is told the right one. */
class ModelsCommandTest {

    @TempDir
    Path dir;

    /** Runs the command line; returns exit code, stdout and stderr. */
    private static String[] capture(String... args) {
        return CapturedConsole.run(() -> Hkd.run(args));
    }

    private static List<String> row(String output, String model) {
        return output.lines()
                .map(l -> List.of(l.trim().split("\\s+", 5)))
                .filter(r -> r.get(0).equals(model))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no row for " + model + " in\n" + output));
    }

    @Test
    void everyModelWithItsParametersClassesInputAndOrigin() {
        String[] r = capture("models");
        assertEquals("0", r[0], r[2]);
        assertEquals(
                List.of("resnet50", "25557032", "1000", "3x224x224", "ImageNet, torchvision"), row(r[1], "resnet50"));
        assertEquals(List.of("ResNet50", "23705252", "100", "3x32x32", "CIFAR, RepDistiller"), row(r[1], "ResNet50"));
        assertEquals(
                List.of("MobileNetV1", "4231976", "1000", "3x224x224", "ImageNet, mdistiller"),
                row(r[1], "MobileNetV1"));
        assertEquals(
                List.of("resnet18", "11689512", "1000", "3x224x224", "ImageNet, torchvision"), row(r[1], "resnet18"));
        // The quickstart's teacher, as the README counts it (10 classes).
        assertEquals(
                List.of("fmnist_resnet", "1209834", "10", "1x28x28", "Fashion-MNIST, this project"),
                row(r[1], "fmnist_resnet"));
        assertTrue(r[1].contains("case-sensitive"), r[1]);
    }

    @Test
    void classesCanBeFixedForEveryModel() {
        String[] r = capture("models", "--classes", "200");
        assertEquals("0", r[0], r[2]);
        // resnet18's fc: 512·200 + 200 instead of 512·1000 + 1000.
        assertEquals(
                List.of("resnet18", Long.toString(11689512L - 513L * 800), "200", "3x224x224", "ImageNet, torchvision"),
                row(r[1], "resnet18"));
        String[] bad = capture("models", "--classes", "0");
        assertEquals("2", bad[0]);
        assertEquals("hkd: error: --classes must be at least 1, got 0", bad[2].trim());
    }

    @Test
    void aNearMissModelIdInAConfigIsOneLineWithTheRightIdAndExitCode2() throws Exception {
        Path f = Files.writeString(
                dir.resolve("model.yaml"),
                "seed: 1\nstudent:\n  model: Resnet18\noutput: " + dir.resolve("out") + "\n");
        String[] r = capture("train", f.toString());
        assertEquals("2", r[0], r[2]);
        assertEquals(
                "hkd: error: " + f + ":3: student.model: unknown model 'Resnet18'; did you mean 'resnet18'?",
                r[2].trim());

        Files.writeString(f, "seed: 1\nstudent:\n  model: resnet_50\noutput: " + dir.resolve("out") + "\n");
        r = capture("train", f.toString());
        assertEquals("2", r[0], r[2]);
        assertEquals(
                "hkd: error: " + f
                        + ":3: student.model: unknown model 'resnet_50'; did you mean 'ResNet50' (CIFAR, RepDistiller)"
                        + " or 'resnet50' (ImageNet, torchvision)?",
                r[2].trim());
    }
}
