package dev.hkd.runner.run;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hkd.runner.RepositoryRoot;
import dev.hkd.training.config.ConfigLoader;
import dev.hkd.training.config.RunConfig;
import dev.hkd.training.data.CifarTest;
import dev.hkd.training.train.EpochRecord;
import dev.hkd.training.train.MetricsLog;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shipped Table 1 configs of resnet32x4 → resnet8x4 run as written, for two steps on a tiny
 * CIFAR-100-format file: only the data folder, the sizes and the teacher's source are overridden.
 */
class Table1ConfigsSmokeTest {

    @TempDir
    static Path dir;

    static Stream<Path> pairConfigs() throws Exception {
        Path folder = RepositoryRoot.path().resolve("reproducibility/cifar100/students/resnet32x4-resnet8x4");
        try (Stream<Path> list = Files.list(folder)) {
            return list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pairConfigs")
    void runsTwoSteps(Path config) throws Exception {
        Path data = dir.resolve("data");
        if (!Files.isDirectory(data)) {
            CifarTest.writeCifar100(data, 16, 8);
        }
        String name = config.getFileName().toString().replace(".yaml", "");
        List<String> overrides = new java.util.ArrayList<>(List.of(
                "data.dir=" + data,
                "training.schedule.epochs=1",
                "training.batch_size=8",
                "eval_batch_size=8",
                "output=" + dir.resolve("runs").resolve(name)));
        if (ConfigLoader.loadRun(config).teacher() != null) {
            // Train a one-epoch teacher on the tiny data instead of reading the real one's checkpoint.
            overrides.addAll(List.of(
                    "teacher.checkpoint=null",
                    "teacher.training={schedule: {epochs: 1, milestones: []}, batch_size: 8}"));
        }
        if (ConfigLoader.loadRun(config).method().name().equals("sskd")) {
            overrides.add("method.options={sskd: {teacher_epochs: 1}}"); // its teacher-head stage, shortened
        }
        String method = ConfigLoader.loadRun(config).method().name();
        if (List.of("ab", "fsp", "ft").contains(method)) {
            overrides.add("method.options." + method + ".init_epochs=1"); // RepDistiller's init stage, shortened
        }
        RunConfig run = ConfigLoader.loadRun(config, overrides);
        RunOptions options = RunOptions.defaults(new PrintStream(OutputStream.nullOutputStream()))
                .withCacheDir(dir.resolve("cache"));
        TrainingRun.execute(run, config, options);
        List<EpochRecord> epochs =
                new MetricsLog(dir.resolve("runs").resolve(name).resolve("metrics.jsonl")).read();
        assertTrue(
                epochs.size() == 1
                        && epochs.get(0).trainLoss().values().stream().allMatch(Double::isFinite),
                name + ": " + epochs);
    }
}
