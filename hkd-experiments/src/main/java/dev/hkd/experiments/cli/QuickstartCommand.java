package dev.hkd.experiments.cli;

import dev.hkd.runner.run.RunOptions;
import dev.hkd.runner.run.TeacherSource;
import dev.hkd.runner.run.TrainingRun;
import dev.hkd.training.config.DataConfig;
import dev.hkd.training.config.MethodConfig;
import dev.hkd.training.config.OptimizerConfig;
import dev.hkd.training.config.RunConfig;
import dev.hkd.training.config.ScheduleConfig;
import dev.hkd.training.config.StudentConfig;
import dev.hkd.training.config.TeacherConfig;
import dev.hkd.training.config.TrainingConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The main job: on the embedded Fashion-MNIST subset (8 000 train / 2 000 test), train the
 * teacher (or reuse it from the cache), a vanilla student and a KD student, and print a table.
 */
@Command(
        name = "quickstart",
        description =
                "Train a teacher (cached), a vanilla student and a KD student on the embedded Fashion-MNIST subset; print a table.")
final class QuickstartCommand implements Callable<Integer> {

    static final int TEACHER_EPOCHS = 12;
    static final int STUDENT_EPOCHS = 15;

    @Option(
            names = "--output",
            defaultValue = "runs/quickstart",
            description = "where the student runs go (default ${DEFAULT-VALUE})")
    Path output;

    @Option(names = "--seed", defaultValue = "1", description = "seed of all three runs (default ${DEFAULT-VALUE})")
    long seed;

    @Mixin
    TeacherCache teacherCache = new TeacherCache();

    @Override
    public Integer call() {
        RunOptions options = teacherCache.applyTo(RunOptions.defaults(System.out));
        DataConfig data = new DataConfig("fashion-mnist-subset", null, "crop-flip", null);
        TrainingConfig teacherTraining = sgd(TEACHER_EPOCHS, List.of(8, 11));
        TrainingConfig studentTraining = sgd(STUDENT_EPOCHS, List.of(10, 13));
        TeacherConfig teacher = new TeacherConfig("fmnist_resnet", null, teacherTraining);
        StudentConfig student = new StudentConfig("fmnist_cnn");

        System.out.println(
                "Quickstart: Fashion-MNIST subset (8 000 train / 2 000 test images from the Debian package's test split), seed "
                        + seed);
        // The two students differ only in their method; each has a folder of that name.
        Function<String, RunConfig> studentRun = method -> new RunConfig(
                seed,
                data,
                teacher,
                student,
                new MethodConfig(method, null, null),
                studentTraining,
                500,
                0,
                output.resolve(method).toString());
        RunConfig vanilla = studentRun.apply("vanilla");
        RunConfig kd = studentRun.apply("kd");
        // Students are retrained every time; only the teacher is cached.
        deleteRecursively(output.resolve("vanilla"));
        deleteRecursively(output.resolve("kd"));

        TrainingRun.Outcome kdOutcome = TrainingRun.execute(kd, null, options);
        TrainingRun.Outcome vanillaOutcome = TrainingRun.execute(vanilla, null, options);
        // Finished runs are not repeated: this reads the cached teacher's own result.
        TrainingRun.Outcome teacherOutcome = TrainingRun.execute(TeacherSource.teacherRun(kd, options), null, options);

        System.out.println();
        System.out.printf(
                "%-22s %-14s %12s %8s %8s %9s%n", "model", "method", "parameters", "top-1", "top-5", "seconds");
        row("teacher", teacherOutcome);
        row("student", vanillaOutcome);
        row("student", kdOutcome);
        System.out.println();
        System.out.println("top-1/top-5: % on the 2 000 test images, last epoch; seconds: training time. Runs: "
                + output + " (metrics.jsonl, result.json, checkpoints).");
        return 0;
    }

    /** SGD with lr 0.05 (times 0.1 at each milestone), momentum 0.9, weight decay 5e-4, batches of 64. */
    private static TrainingConfig sgd(int epochs, List<Integer> milestones) {
        return new TrainingConfig(
                new OptimizerConfig(0.05, 0.9, 5e-4, false), new ScheduleConfig(epochs, milestones, 0.1), 64);
    }

    private static void row(String role, TrainingRun.Outcome o) {
        System.out.printf(
                "%-22s %-14s %12d %7.2f%% %7.2f%% %9.1f%n",
                role + " " + o.model(), o.method(), o.parameters(), o.lastTop1(), o.lastTop5(), o.seconds());
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
