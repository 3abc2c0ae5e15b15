package dev.hkd.runner.run;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.hkd.savedmodel.SavedModelTeacher;
import dev.hkd.training.config.ConfigException;
import dev.hkd.training.config.MethodConfig;
import dev.hkd.training.config.RunConfig;
import dev.hkd.training.config.StudentConfig;
import dev.hkd.training.config.TeacherConfig;
import dev.hkd.training.data.RunData;
import dev.hkd.training.io.RunClaim;
import dev.hkd.training.io.RunFolder;
import dev.hkd.training.io.SafeTensors;
import dev.hkd.training.models.FeatureNetwork;
import dev.hkd.training.models.ModelZoo;
import dev.hkd.training.models.WeightImport;
import dev.hkd.training.train.Accuracy;
import dev.hkd.training.train.Checkpoint;
import dev.hkd.training.train.Teacher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Gives a run its frozen teacher: from {@code teacher.checkpoint}, or trained with
 * {@code teacher.training} on the run's data and cached under
 * {@code <cache>/teachers/<model>-<hash of model, data, training, seed>} so that every run that
 * asks for the same teacher reuses it.
 */
public final class TeacherSource {

    private TeacherSource() {}

    /**
     * The run that trains the teacher of {@code run} when it names no checkpoint: vanilla training
     * of the teacher model on the same data, with the teacher's seed if set (else the run's), its output folder in the cache and keyed by
     * everything that determines the weights.
     */
    public static RunConfig teacherRun(RunConfig run, RunOptions options) {
        TeacherConfig config = run.teacher();
        // The model names a folder of the cache: an unknown name is refused before any path is built from it.
        if (!ModelZoo.contains(config.model())) {
            throw new ConfigException("teacher.model: unknown model '" + ContainedPath.printable(config.model())
                    + "'; known: " + String.join(", ", ModelZoo.names()));
        }
        long seed = config.seed() != null ? config.seed() : run.seed();
        String key = ConfigHash.of(List.of(config.model(), run.data(), config.training(), seed));
        Path dir = ContainedPath.child(
                options.cacheDir().resolve("teachers"), config.model() + "-" + key, "teacher.model");
        return new RunConfig(
                seed,
                run.data(),
                null,
                new StudentConfig(config.model()),
                new MethodConfig(MethodConfig.VANILLA, null, null),
                config.training(),
                run.evalBatchSize(),
                run.checkpointEverySteps(),
                dir.toString());
    }

    /** How a missing teacher gets trained: a whole run of {@code teacherRun} (the caller's, so this class needs no runner). */
    @FunctionalInterface
    public interface Training {
        void run(RunConfig teacherRun, RunOptions options);
    }

    /**
     * The teacher of {@code run}: a SavedModel, a checkpoint, or the cached result of
     * {@link #teacherRun}, trained now through {@code training} if the cache does not hold it yet.
     */
    public static Teacher obtain(
            RunConfig run, RunData data, NDManager manager, RunOptions options, Training training) {
        TeacherConfig config = run.teacher();
        if (config.savedModel() != null) {
            FeatureNetwork network = new SavedModelTeacher(config.savedModel());
            Accuracy accuracy;
            try (NDManager scratch = manager.newSubManager()) {
                accuracy = Accuracy.evaluate(network, data.test(), run.evalBatchSize(), scratch);
            } catch (ConfigException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new ConfigException("teacher.saved_model: the model does not accept this data's images "
                        + data.test().imageShape() + " ("
                        + (e.getMessage() == null
                                ? e
                                : e.getMessage().lines().findFirst().orElse("")) + ")");
            }
            return new Teacher(
                    network,
                    accuracy,
                    "TensorFlow SavedModel " + config.savedModel().dir(),
                    false);
        }
        Path checkpoint;
        String origin;
        boolean reused = false;
        if (config.checkpoint() != null) {
            checkpoint = Path.of(config.checkpoint());
            if (!Files.isRegularFile(checkpoint)) {
                throw new ConfigException("teacher.checkpoint: no such file " + checkpoint);
            }
            origin = "checkpoint " + checkpoint;
        } else {
            RunConfig teacherRun = teacherRun(run, options);
            Path dir = Path.of(teacherRun.output());
            checkpoint = new RunFolder(dir).lastCheckpoint();
            // Concurrent runs that need the same teacher: one trains it, the others wait and reuse it.
            RunFolder cached = new RunFolder(dir);
            RunFolder.Identity identity = new RunFolder.Identity(
                    ConfigHash.identity(teacherRun), data.train().fingerprint());
            cached.check(identity);
            try (RunClaim claim = cached.claim()) {
                // The cache answers only for the teacher of this data: a folder trained on other data is refused, not
                // reused.
                if (cached.check(identity) == RunFolder.Status.FINISHED) {
                    origin = "reused from the teacher cache " + dir;
                    reused = true;
                } else {
                    options.out().println("Training teacher " + config.model() + " (cached afterwards in " + dir + ")");
                    training.run(
                            teacherRun,
                            options.withExperiment(
                                    (options.experiment() == null ? "hkd" : options.experiment()) + "-teachers"));
                    origin = "trained now, cached in " + dir;
                }
            }
        }
        FeatureNetwork network = ModelZoo.create(config.model(), data.train().numClasses());
        network.initialize(
                manager, DataType.FLOAT32, new Shape(1).addAll(data.train().imageShape()));
        try (NDManager scratch = manager.newSubManager()) {
            SafeTensors.Contents saved = SafeTensors.read(checkpoint, scratch);
            boolean ours = saved.tensors().keySet().stream().anyMatch(k -> k.startsWith(Checkpoint.STUDENT));
            if (ours) {
                Checkpoint.loadInto(
                        network, Checkpoint.under(saved.tensors(), Checkpoint.STUDENT), checkpoint.toString());
            } else {
                // A PyTorch state dict under the reference's names (e.g. a RepDistiller teacher).
                WeightImport.load(network, checkpoint, scratch);
            }
        } catch (IllegalArgumentException e) {
            throw new ConfigException("teacher: " + e.getMessage());
        }
        network.freeze();
        Accuracy accuracy;
        try (NDManager scratch = manager.newSubManager()) {
            accuracy = Accuracy.evaluate(network, data.test(), run.evalBatchSize(), scratch);
        }
        return new Teacher(network, accuracy, origin, reused);
    }
}
