package dev.hkd.runner.run;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.hkd.api.ContrastMode;
import dev.hkd.api.DataNeeds;
import dev.hkd.runner.tracking.MlflowTracker;
import dev.hkd.runner.tracking.Provenance;
import dev.hkd.runner.tracking.RunDescription;
import dev.hkd.training.config.ConfigException;
import dev.hkd.training.config.ConfigLoader;
import dev.hkd.training.config.RunConfig;
import dev.hkd.training.data.Augmentation;
import dev.hkd.training.data.RunData;
import dev.hkd.training.io.RunFolder;
import dev.hkd.training.methods.DistillerRegistry;
import dev.hkd.training.methods.MethodSet;
import dev.hkd.training.models.FeatureNetwork;
import dev.hkd.training.models.ModelZoo;
import dev.hkd.training.train.ContrastSampler;
import dev.hkd.training.train.Engines;
import dev.hkd.training.train.Networks;
import dev.hkd.training.train.ResidentMemory;
import dev.hkd.training.train.RunCost;
import dev.hkd.training.train.Seeds;
import dev.hkd.training.train.StepAssembly;
import dev.hkd.training.train.Teacher;
import dev.hkd.training.train.Trainer;
import dev.hkd.training.train.TrainingDivergedException;
import dev.hkd.training.train.TrainingListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One run from a {@link RunConfig}: data, teacher, student, method, then the {@link Trainer}.
 * The output folder holds {@code config.yaml} (resolved), {@code metrics.jsonl},
 * {@code last.safetensors}, {@code best.safetensors} and, when finished, {@code result.json}.
 * Running it again resumes where it stopped; a finished run is not repeated.
 */
public final class TrainingRun {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * What a finished run reports. {@code outputDir} is the run folder's name, relative to the store
     * that holds it (older runs hold the absolute path of the machine that ran them);
     * {@code threads}: libtorch's intra-op threads; {@code cost}: what the run cost (both null in runs
     * written before they were recorded); {@code cohort}: the cohort it trained in, absent for a run trained alone.
     */
    public record Outcome(
            String model,
            String method,
            long parameters,
            double lastTop1,
            double lastTop5,
            double bestTop1,
            double seconds,
            int epochs,
            String outputDir,
            Map<String, Double> teacher,
            long seed,
            String configHash,
            String dataFingerprint,
            Integer threads,
            RunCost cost,
            @JsonInclude(JsonInclude.Include.NON_NULL) Cohort cohort) {}

    private TrainingRun() {}

    public static Outcome execute(RunConfig config, Path configFile, RunOptions options) {
        return execute(config, configFile, options, Long.MAX_VALUE);
    }

    /** Runs at most {@code maxSteps} steps in this call (an interruption, for tests); null outcome if unfinished. */
    public static Outcome execute(RunConfig config, Path configFile, RunOptions options, long maxSteps) {
        try {
            return executeOrThrow(config, configFile, options, maxSteps);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            // Only closing a TensorFlow teacher declares a checked exception.
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static Outcome executeOrThrow(RunConfig config, Path configFile, RunOptions options, long maxSteps)
            throws Exception {
        Path out = Path.of(config.output());
        String hash = ConfigHash.identity(config);
        Outcome before = finishedBefore(config, options, hash);
        if (before != null) {
            return before;
        }
        MethodSet method = checkedMethod(config, configFile);
        RunData data = RunData.load(config.data(), options.dataDir(), options.environment());
        claimOutput(
                new RunFolder(out),
                config,
                new RunFolder.Identity(hash, data.train().fingerprint()));
        long start = System.nanoTime();
        try (NDManager root = Engines.training().newBaseManager()) {
            Teacher teacher = null;
            if (method.needsTeacher()) {
                teacher = TeacherSource.obtain(
                        config, data, root, options, (teacherRun, o) -> execute(teacherRun, null, o));
                options.out().println(teacher.summary());
            }
            try (Member member = Member.prepare(config, configFile, options, method, data, teacher, root, null)) {
                Trainer.Result result;
                try {
                    result = member.trainer().run(maxSteps);
                } catch (TrainingDivergedException e) {
                    member.fail(e);
                    throw e;
                } finally {
                    closeTeacher(teacher);
                }
                return member.finish(result, start);
            }
        }
    }

    /**
     * The result of a run whose folder holds one, else null. A folder answers only for its own
     * configuration and data, finished or not: another one is refused in one line, and nothing is
     * written before this.
     */
    static Outcome finishedBefore(RunConfig config, RunOptions options, String hash) {
        RunFolder folder = new RunFolder(Path.of(config.output()));
        DataDirectory.requireConsistent(config.data(), options.dataDir());
        if (folder.check(new RunFolder.Identity(hash, null)) != RunFolder.Status.FINISHED) {
            return null;
        }
        RunData data = RunData.load(config.data(), options.dataDir(), options.environment());
        folder.check(new RunFolder.Identity(hash, data.train().fingerprint()));
        return readOutcome(folder, hash);
    }

    /** The run's method, after checking that its models exist. */
    static MethodSet checkedMethod(RunConfig config, Path configFile) {
        requireModel(config.student().model(), configFile, List.of("student", "model"));
        if (config.teacher() != null && config.teacher().savedModel() == null) {
            requireModel(config.teacher().model(), configFile, List.of("teacher", "model"));
        }
        return MethodSet.forRun(config, DistillerRegistry.fromClasspath(), configFile);
    }

    static void closeTeacher(Teacher teacher) throws Exception {
        if (teacher != null && teacher.network() instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    /**
     * One run set up to train, alone or in a cohort: its student initialised and its method
     * prepared from the run's seed (the same engine seeds in the same order either way, so the
     * same numbers), its trainer, tracker and console progress.
     */
    static final class Member implements AutoCloseable {
        private final RunConfig config;
        private final RunOptions options;
        private final RunFolder folder;
        private final String hash;
        private final MethodSet method;
        private final RunData data;
        private final Teacher teacher;
        private final FeatureNetwork student;
        private final Trainer trainer;
        private final MlflowTracker tracker;
        private final Cohort cohort;

        private Member(
                RunConfig config,
                RunOptions options,
                String hash,
                MethodSet method,
                RunData data,
                Teacher teacher,
                FeatureNetwork student,
                Trainer trainer,
                MlflowTracker tracker,
                Cohort cohort) {
            this.config = config;
            this.options = options;
            this.folder = new RunFolder(Path.of(config.output()));
            this.hash = hash;
            this.method = method;
            this.data = data;
            this.teacher = teacher;
            this.student = student;
            this.trainer = trainer;
            this.tracker = tracker;
            this.cohort = cohort;
        }

        /** Sets up a run whose folder is claimed; {@code cohort}: null when it trains alone. */
        static Member prepare(
                RunConfig config,
                Path configFile,
                RunOptions options,
                MethodSet method,
                RunData data,
                Teacher teacher,
                NDManager root,
                Cohort cohort) {
            Path out = Path.of(config.output());
            String hash = ConfigHash.identity(config);
            Engine engine = Engines.training();
            Engines.seed(Seeds.derive(config.seed(), Seeds.INIT, 1));
            FeatureNetwork student =
                    ModelZoo.create(config.student().model(), data.train().numClasses());
            student.initialize(
                    root, DataType.FLOAT32, new Shape(1).addAll(data.train().imageShape()));
            Engines.seed(Seeds.derive(config.seed(), Seeds.INIT, 2));
            try (NDManager m = root.newSubManager()) {
                NDArray sampleImages = data.test().images(m, new int[] {0, 1}, Augmentation.NONE, null);
                StepAssembly.prepare(
                        method,
                        root,
                        student,
                        teacher == null ? null : teacher.network(),
                        sampleImages,
                        data.train().numClasses(),
                        data.train().size());
            }
            options.out()
                    .printf(
                            "Training %s with %s (%s), seed %d, %d parameters, output %s%n",
                            config.student().model(),
                            method.name(),
                            method.describeWeights(),
                            config.seed(),
                            student.trainableParameterCount(),
                            out);
            DataNeeds needs = method.dataNeeds();
            ContrastSampler contrast = needs.contrastMode() == ContrastMode.NONE
                    ? null
                    : new ContrastSampler(
                            data.train().labels(), data.train().numClasses(), needs.contrastMode(), needs.negatives());
            TrainingListener progress = new ConsoleProgress(
                    options.out(), options.progressBar(), config.student().model() + "/" + method.name());
            describe(config, configFile, options, out, hash, data, engine, cohort);
            MlflowTracker tracker = null;
            if (options.tracking() != null) {
                tracker = new MlflowTracker(options.tracking(), out, options.uploadCheckpoint(), options.out());
                tracker.start();
                progress = TrainingListener.all(progress, tracker);
            }
            Trainer trainer = new Trainer(new Trainer.Setup(
                    root,
                    new Networks(student, teacher == null ? null : teacher.network()),
                    method,
                    contrast,
                    data,
                    new Trainer.Recipe(
                            config.training(), config.seed(), config.evalBatchSize(), config.checkpointEverySteps()),
                    new Trainer.Output(new RunFolder(out), progress)));
            return new Member(config, options, hash, method, data, teacher, student, trainer, tracker, cohort);
        }

        Trainer trainer() {
            return trainer;
        }

        RunConfig config() {
            return config;
        }

        /** A divergence: {@code failed.json}, and the tracker finishes what it has. */
        void fail(TrainingDivergedException e) {
            writeJson(folder.failed(), Map.of("reason", e.getMessage(), "config_hash", hash));
            if (tracker != null) {
                tracker.finish(120);
            }
        }

        /** {@code result.json} of a finished run (null while unfinished); {@code start}: when its process began on it. */
        Outcome finish(Trainer.Result result, long start) {
            if (!result.finished()) {
                return null;
            }
            double seconds =
                    result.epochs().stream().mapToDouble(r -> r.seconds()).sum();
            Map<String, Double> teacherAcc = new LinkedHashMap<>();
            if (teacher != null) {
                teacherAcc.put("top1", teacher.accuracy().top1());
                teacherAcc.put("top5", teacher.accuracy().top5());
            }
            long extra = trainer.trainedParameterCount() - student.trainableParameterCount();
            RunCost cost = RunCost.of(result.epochs(), result.teacherStageSeconds(), extra, ResidentMemory.peakMiB());
            Outcome outcome = new Outcome(
                    config.student().model(),
                    method.name(),
                    student.trainableParameterCount(),
                    result.last().testTop1(),
                    result.last().testTop5(),
                    result.last().bestTop1(),
                    seconds,
                    result.epochs().size(),
                    folder.dir().toAbsolutePath().normalize().getFileName().toString(),
                    teacherAcc,
                    config.seed(),
                    hash,
                    data.train().fingerprint(),
                    Engines.intraOpThreads(),
                    cost,
                    cohort);
            writeJson(folder.result(), outcome);
            if (tracker != null) {
                tracker.finish(120);
            }
            long wall = (System.nanoTime() - start) / 1_000_000_000L;
            options.out()
                    .printf(
                            "Finished %s/%s in %d s: last top-1 %.2f%%, best top-1 %.2f%%%n",
                            config.student().model(), method.name(), wall, outcome.lastTop1(), outcome.bestTop1());
            return outcome;
        }

        @Override
        public void close() {
            if (tracker != null) {
                tracker.close();
            }
        }
    }

    /** {@code tracking.json}: what a tracker (now or a later {@code ./hkd sync}) records besides metrics. */
    private static void describe(
            RunConfig config,
            Path configFile,
            RunOptions options,
            Path out,
            String hash,
            RunData data,
            Engine engine,
            Cohort cohort) {
        String experiment = options.experiment() != null
                ? options.experiment()
                : configFile == null
                        ? "hkd"
                        : configFile.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        new RunDescription(
                        java.util.UUID.randomUUID().toString(),
                        experiment,
                        out.toAbsolutePath().normalize().getFileName().toString(),
                        RunDescription.flatten(ConfigLoader.mapper().valueToTree(config)),
                        cohort == null
                                ? Provenance.tags(hash, data.train().fingerprint(), config.seed(), engine)
                                : cohort.tagged(
                                        Provenance.tags(hash, data.train().fingerprint(), config.seed(), engine)))
                .writeIfAbsent(out);
    }

    private static void requireModel(String model, Path configFile, List<String> keys) {
        if (!ModelZoo.contains(model)) {
            throw ConfigException.at(configFile, keys, ModelZoo.unknownModelMessage(model));
        }
    }

    /** Makes the folder this run's ({@link RunFolder#adopt}): the resolved config and its identity files in a new folder. */
    static void claimOutput(RunFolder folder, RunConfig config, RunFolder.Identity identity) {
        String yaml;
        try {
            yaml = ConfigLoader.mapper().writeValueAsString(config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Files.createDirectories(folder.dir());
        } catch (IOException e) {
            throw RunFolder.cannotWrite(folder.dir(), e);
        }
        folder.adopt(identity, yaml);
    }

    /**
     * A finished run's {@code result.json}, which must be a whole outcome of this configuration: a
     * damaged or foreign one is refused in one line rather than printed as "null null top-1 0.00%".
     */
    static Outcome readOutcome(RunFolder folder, String hash) {
        Path file = folder.result();
        com.fasterxml.jackson.databind.JsonNode node;
        try {
            node = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new ConfigException(file + ": is not JSON ("
                    + e.getMessage().lines().findFirst().orElse("") + "); delete the folder " + folder.dir()
                    + " to train the run again");
        }
        List<String> missing = new java.util.ArrayList<>();
        for (String key : List.of("model", "method", "configHash", "outputDir")) {
            if (node == null || !node.path(key).isTextual()) {
                missing.add(key);
            }
        }
        for (String key : List.of("parameters", "lastTop1", "lastTop5", "bestTop1", "seconds", "epochs", "seed")) {
            if (node == null || !node.path(key).isNumber()) {
                missing.add(key);
            }
        }
        if (!missing.isEmpty()) {
            throw new ConfigException(file + ": is incomplete (no " + String.join(", ", missing)
                    + "); delete the folder " + folder.dir() + " to train the run again");
        }
        if (!node.path("configHash").asText().equals(hash)) {
            throw new ConfigException(file + ": is the result of another configuration (hash "
                    + node.path("configHash").asText() + ", this one " + hash + ")");
        }
        try {
            return JSON.treeToValue(node, Outcome.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            throw new ConfigException(file + ": cannot be read as a result ("
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse("") + "); delete the folder "
                    + folder.dir() + " to train the run again");
        }
    }

    static void writeJson(Path file, Object value) {
        try {
            RunFolder.writeAtomically(file, JSON.writeValueAsString(value));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
