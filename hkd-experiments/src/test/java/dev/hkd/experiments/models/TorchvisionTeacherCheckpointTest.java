package dev.hkd.experiments.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import dev.hkd.api.NetworkOutput;
import dev.hkd.runner.run.RunOptions;
import dev.hkd.runner.run.TeacherSource;
import dev.hkd.training.config.ConfigLoader;
import dev.hkd.training.config.RunConfig;
import dev.hkd.training.data.Augmentation;
import dev.hkd.training.data.ImageSet;
import dev.hkd.training.data.RunData;
import dev.hkd.training.io.SafeTensors;
import dev.hkd.training.models.imagenet.TorchvisionResNet;
import dev.hkd.training.train.Engines;
import dev.hkd.training.train.Teacher;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A torchvision ImageNet checkpoint converted to safetensors as it is
 * ({@code save_file(torch.load("resnet34-b627a593.pth"))}: torchvision's names, F16/F32 weights,
 * every BatchNorm's {@code num_batches_tracked} an I64 scalar) is a teacher through
 * {@code teacher.checkpoint} alone. The state dict used is the resnet18 parity fixture, which is in
 * exactly that form; the loaded teacher must compute the reference's logits.
 */
class TorchvisionTeacherCheckpointTest {

    @TempDir
    Path dir;

    @Test
    void aTorchvisionStateDictLoadsUnchangedAsTheTeacher() throws Exception {
        Path fixtures = WeightImportTest.imagenetFixtures();
        Path checkpoint = fixtures.resolve("resnet18.safetensors");
        Path config = dir.resolve("run.yaml");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "seed: 1",
                        "teacher: {model: resnet18, checkpoint: " + checkpoint + "}",
                        "student: {model: resnet18}",
                        "method: {name: kd}",
                        "output: " + dir.resolve("run"),
                        ""));
        RunConfig run = ConfigLoader.loadRun(config);
        // Four 64×64 colour images of ImageNet's 1000 classes: the teacher is evaluated on them when it loads.
        int n = 4;
        byte[] pixels = new byte[n * 3 * 64 * 64];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 31);
        }
        ImageSet images = new ImageSet(
                "four",
                3,
                64,
                64,
                pixels,
                new int[] {0, 1, 998, 999},
                1000,
                new float[] {0.485f, 0.456f, 0.406f},
                new float[] {0.229f, 0.224f, 0.225f});
        RunData data = new RunData(images, images, Augmentation.NONE);
        try (NDManager m = Engines.training().newBaseManager()) {
            Teacher teacher = TeacherSource.obtain(
                    run,
                    data,
                    m,
                    RunOptions.defaults(new PrintStream(OutputStream.nullOutputStream()))
                            .withCacheDir(dir.resolve("cache")),
                    (teacherRun, options) -> {
                        throw new AssertionError("a teacher with a checkpoint is never trained");
                    });
            assertTrue(
                    teacher.network() instanceof TorchvisionResNet,
                    teacher.network().getClass().getName());
            assertTrue(teacher.origin().contains(checkpoint.toString()), teacher.origin());
            Map<String, NDArray> io = SafeTensors.read(fixtures.resolve("resnet18.io.safetensors"), m)
                    .tensors();
            NetworkOutput out =
                    teacher.network().forward(new ParameterStore(m, false), io.get("input_eval"), false, false);
            NDArray reference = io.get("logits_eval");
            double scale = reference.abs().max().toType(DataType.FLOAT64, false).getDouble();
            double error = out.logits()
                    .sub(reference)
                    .abs()
                    .max()
                    .toType(DataType.FLOAT64, false)
                    .getDouble();
            assertTrue(error <= 1e-4 * scale, "logits differ by " + error + " (tolerance " + 1e-4 * scale + ")");
            assertEquals(
                    List.of(),
                    teacher.network().getParameters().values().stream()
                            .filter(p -> p.requiresGradient())
                            .map(p -> p.getName())
                            .toList(),
                    "the teacher is frozen");
        }
    }
}
