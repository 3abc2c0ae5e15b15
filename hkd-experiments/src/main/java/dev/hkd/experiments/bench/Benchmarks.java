package dev.hkd.experiments.bench;

import dev.hkd.training.train.TeacherPass;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.hkd.api.ContrastMode;
import dev.hkd.api.DataNeeds;
import dev.hkd.graph.KnnGraphBuilder;
import dev.hkd.losses.contrast.MemoryBank;
import dev.hkd.training.config.ConfigLoader;
import dev.hkd.training.config.MethodConfig;
import dev.hkd.training.config.OptimizerConfig;
import dev.hkd.training.config.ScheduleConfig;
import dev.hkd.training.config.TrainingConfig;
import dev.hkd.training.data.Augmentation;
import dev.hkd.training.data.Cifar;
import dev.hkd.training.data.CropFlip;
import dev.hkd.training.data.ImageSet;
import dev.hkd.training.methods.DistillerRegistry;
import dev.hkd.training.methods.MethodSet;
import dev.hkd.training.models.FeatureNetwork;
import dev.hkd.training.models.ImageLayout;
import dev.hkd.training.models.ModelZoo;
import dev.hkd.training.train.ContrastSampler;
import dev.hkd.training.train.Engines;
import dev.hkd.training.train.ResidentMemory;
import dev.hkd.training.train.Seeds;
import dev.hkd.training.train.StepAssembly;
import dev.hkd.training.train.Trainer;
import dev.hkd.training.train.TrainingBatches;
import dev.hkd.training.train.TrainingListener;
import dev.hkd.training.train.TrainingStep;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/** The standard workloads of {@code hkd bench}, on CIFAR-shaped random data (N = 50 000, 100 classes). */
public final class Benchmarks {

    /** Result of the training-step workload. */
    public record StepResult(String method, double medianMs, double p10Ms, double p90Ms, double imagesPerSecond,
                             long rssAfterWarmupMiB, long rssEndMiB, long peakRssMiB) {
    }

    static final int N = 50_000;
    /** The evaluation batch of {@code hkd train} by default. */
    static final int EVAL_BATCH = 256;
    private ImageSet cifar;

    /** 50 000 random 3×32×32 images with labels i mod 100, normalised like CIFAR-100. */
    ImageSet cifar() {
        if (cifar == null) {
            cifar = randomCifar("random-cifar", N, 0);
        }
        return cifar;
    }

    /**
     * Teacher forward + student forward/backward + SGD + state update, as training runs it, after
     * warm-up, with the frozen teacher's images in {@code teacherLayout}; resident memory after
     * warm-up and at the end shows whether native memory grows.
     */
    public StepResult trainingStep(String methodName, String teacherName, String studentName, int batch, int negatives,
                                   int warmup, int steps, ImageLayout teacherLayout) {
        try (NDManager m = Engines.training().newBaseManager()) {
            Engines.seed(1);
            FeatureNetwork teacher = network(m, teacherName);
            teacher.freeze();
            FeatureNetwork student = network(m, studentName);
            MethodSet method = MethodSet.build(methodConfig(methodName, negatives), DistillerRegistry.fromClasspath(), null);
            StepAssembly.prepare(method, m, student, teacher, m.zeros(new Shape(2, 3, 32, 32)), 100, N);
            DataNeeds needs = method.dataNeeds();
            ContrastSampler sampler = needs.contrastMode() == ContrastMode.NONE ? null
                    : new ContrastSampler(cifar().labels(), 100, needs.contrastMode(), needs.negatives());
            TrainingStep step = StepAssembly.assemble(m, student, teacher, method, TrainingBatches.of(cifar(), new CropFlip(4, true)), 1,
                    sampler, new OptimizerConfig(0.05, 0.9, 5e-4, false), teacherLayout).step();
            int[] order = Seeds.epochOrder(1, 0, N);
            int[] at = {0};
            Runnable one = () -> {
                int from = (at[0] * batch) % (N - batch);
                step.run(java.util.Arrays.copyOfRange(order, from, from + batch), 0, at[0]++, 0.05);
            };
            Timings.of(warmup, one);
            long rssAfterWarmup = ResidentMemory.currentMiB();
            Timings t = Timings.of(steps, one);
            return new StepResult(methodName, t.median(), t.percentile(10), t.percentile(90), batch * 1000.0 / t.median(),
                    rssAfterWarmup, ResidentMemory.currentMiB(), ResidentMemory.peakMiB());
        }
    }

    /** Result of the cohort workload: one teacher pass plus M student steps against M full steps, median ms of each. */
    public record CohortResult(List<String> methods, double cohortMedianMs, double cohortP10Ms, double cohortP90Ms,
                               double fullStepsMedianMs, double fullStepsP10Ms, double fullStepsP90Ms, long peakRssMiB) {
    }

    /**
     * A cohort step as {@code hkd run --cohorts} runs it: the frozen teacher's pass once for the
     * batch, then each method's student step on it; against the same methods each taking a full
     * step of its own (its own teacher pass), as cells alone do. Both on the same networks, data
     * and batches, after warm-up.
     */
    public CohortResult cohortStep(List<String> methodNames, String teacherName, String studentName, int batch, int negatives,
                                   int warmup, int steps, ImageLayout teacherLayout) {
        try (NDManager m = Engines.training().newBaseManager()) {
            Engines.seed(1);
            FeatureNetwork teacher = network(m, teacherName);
            teacher.freeze();
            TrainingBatches batches = TrainingBatches.of(cifar(), new CropFlip(4, true));
            List<TrainingStep> members = new ArrayList<>();
            for (String name : methodNames) {
                FeatureNetwork student = network(m, studentName);
                MethodSet method = MethodSet.build(methodConfig(name, negatives), DistillerRegistry.fromClasspath(), null);
                StepAssembly.prepare(method, m, student, teacher, m.zeros(new Shape(2, 3, 32, 32)), 100, N);
                DataNeeds needs = method.dataNeeds();
                ContrastSampler sampler = needs.contrastMode() == ContrastMode.NONE ? null
                        : new ContrastSampler(cifar().labels(), 100, needs.contrastMode(), needs.negatives());
                members.add(StepAssembly.assemble(m, student, teacher, method, batches, 1, sampler,
                        new OptimizerConfig(0.05, 0.9, 5e-4, false), teacherLayout).step());
            }
            TeacherPass pass = members.get(0).pass();
            int stepsPerEpoch = N / batch;
            int[] at = {0};
            Runnable cohort = () -> {
                int step = at[0]++ % stepsPerEpoch;
                try (NDScope scope = new NDScope(); NDManager s = m.newSubManager()) {
                    TeacherPass.Batch b = pass.batch(s, 0, step, batch);
                    members.forEach(member -> member.run(b, 0.05));
                    scope.suppressNotUsedWarning();
                }
            };
            int[] order = Seeds.epochOrder(1, 0, N);
            Runnable alone = () -> {
                int step = at[0]++ % stepsPerEpoch;
                int[] idx = java.util.Arrays.copyOfRange(order, step * batch, step * batch + batch);
                members.forEach(member -> member.run(idx, 0, step, 0.05));
            };
            Timings.of(warmup, cohort);
            Timings.of(warmup, alone);
            // Alternating rounds, so that a busy machine slows both alike.
            List<Double> cohortMs = new ArrayList<>();
            List<Double> aloneMs = new ArrayList<>();
            for (int i = 0; i < steps; i++) {
                cohortMs.add(Timings.of(1, cohort).median());
                aloneMs.add(Timings.of(1, alone).median());
            }
            Timings c = new Timings(cohortMs.stream().mapToDouble(Double::doubleValue).toArray());
            Timings a = new Timings(aloneMs.stream().mapToDouble(Double::doubleValue).toArray());
            return new CohortResult(List.copyOf(methodNames), c.median(), c.percentile(10), c.percentile(90),
                    a.median(), a.percentile(10), a.percentile(90), ResidentMemory.peakMiB());
        }
    }

    /** Result of the epoch workload: {@code imagesPerSecond} counts training images over the whole epoch's wall time. */
    public record EpochResult(String method, int trainImages, int testImages, double seconds, double imagesPerSecond,
                              double trainImagesPerSecond, double testTop1) {
    }

    /**
     * One whole epoch of the training loop on random CIFAR-shaped images, as {@code hkd train}
     * runs it: shuffling, pad-4 crop and flip, normalisation, every step, evaluation on the test
     * images, and the end-of-epoch checkpoint. The teacher is randomly initialised (its weights do
     * not change the cost).
     */
    public EpochResult epoch(String methodName, String teacherName, String studentName, int batch, int trainImages,
                             int testImages, int negatives) throws IOException {
        ImageSet train = randomCifar("random-cifar-train", trainImages, 1);
        ImageSet test = randomCifar("random-cifar-test", testImages, 2);
        Path out = Files.createTempDirectory("hkd-bench-epoch");
        try (NDManager m = Engines.training().newBaseManager()) {
            Engines.seed(1);
            FeatureNetwork teacher = network(m, teacherName);
            teacher.freeze();
            FeatureNetwork student = network(m, studentName);
            MethodSet method = MethodSet.build(methodConfig(methodName, negatives), DistillerRegistry.fromClasspath(), null);
            try (NDManager s = m.newSubManager()) {
                StepAssembly.prepare(method, m, student, teacher, test.images(s, new int[] {0, 1}, Augmentation.NONE, null),
                        100, trainImages);
            }
            DataNeeds needs = method.dataNeeds();
            ContrastSampler sampler = needs.contrastMode() == ContrastMode.NONE ? null
                    : new ContrastSampler(train.labels(), 100, needs.contrastMode(), needs.negatives());
            TrainingConfig training = new TrainingConfig(
                    new OptimizerConfig(0.05, 0.9, 5e-4, false), new ScheduleConfig(1, List.of(), 0.1), batch);
            Trainer trainer = new Trainer(new Trainer.Setup(m, student, teacher, method, train, test, new CropFlip(4, true), training,
                    EVAL_BATCH, 1, sampler, out, 0, new TrainingListener() { }));
            long t0 = System.nanoTime();
            Trainer.Result result = trainer.run(Long.MAX_VALUE);
            double seconds = (System.nanoTime() - t0) / 1e9;
            return new EpochResult(methodName, trainImages, testImages, seconds, trainImages / seconds,
                    result.last().imagesPerSecond(), result.last().testTop1());
        } finally {
            try (Stream<java.nio.file.Path> files = Files.walk(out)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    /** A zoo model for 100 classes, initialised in {@code m}. */
    private static FeatureNetwork network(NDManager m, String name) {
        FeatureNetwork net = ModelZoo.create(name, 100);
        net.initialize(m, DataType.FLOAT32, ModelZoo.inputShape(name));
        return net;
    }

    /** {@code n} random 3×32×32 images with labels i mod 100, normalised like CIFAR-100. */
    private static ImageSet randomCifar(String name, int n, long seed) {
        byte[] pixels = new byte[n * 3072];
        new java.util.Random(seed).nextBytes(pixels);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 100;
        }
        return new ImageSet(name, 3, 32, 32, pixels, labels, 100, Cifar.CIFAR100_MEAN, Cifar.CIFAR100_STD);
    }

    /** {@code name} with K = {@code negatives} for every component whose options have {@code nce_k} (the memory-bank methods). */
    private static MethodConfig methodConfig(String name, int negatives) {
        DistillerRegistry registry = DistillerRegistry.fromClasspath();
        Map<String, com.fasterxml.jackson.databind.JsonNode> options = new java.util.LinkedHashMap<>();
        for (String id : new MethodConfig(name, null, null).components()) {
            com.fasterxml.jackson.databind.JsonNode defaults = ConfigLoader.mapper().valueToTree(registry.get(id).defaultConfig());
            if (defaults.has("nce_k")) {
                options.put(id, JsonNodeFactory.instance.objectNode().put("nce_k", negatives));
            }
        }
        return new MethodConfig(name, null, options);
    }

    /** Median ms to build HKD's kNN graph (k = 8) and its propagation matrix for each batch size. */
    public List<double[]> knnGraph(int[] batches, int repetitions) {
        List<double[]> rows = new ArrayList<>();
        KnnGraphBuilder builder = new KnnGraphBuilder(8);
        try (NDManager m = Engines.training().newBaseManager()) {
            for (int b : batches) {
                NDArray logits = m.randomNormal(new Shape(b, 100));
                Runnable work = () -> {
                    try (NDScope scope = new NDScope()) {
                        builder.fromLogits(logits).propagation().sum().getFloat();
                        scope.suppressNotUsedWarning();
                    }
                };
                Timings.of(3, work);
                rows.add(new double[] {b, Timings.of(repetitions, work).median()});
            }
        }
        return rows;
    }

    /**
     * Median ms of scoring B anchors against K sampled rows of an N × d bank: the exact
     * whole-bank product this project uses, against gathering B × K × d rows as the reference does;
     * and of the momentum write.
     */
    public double[] memoryBank(int batch, int negatives, int dim, int repetitions) {
        try (NDManager m = Engines.training().newBaseManager()) {
            Engines.seed(2);
            MemoryBank bank = MemoryBank.uniform(m, N, dim);
            NDArray anchors = m.randomNormal(new Shape(batch, dim));
            NDArray idx = m.arange(0, batch, 1, DataType.INT64);
            NDArray neg = m.randomInteger(0, N, new Shape(batch, negatives), DataType.INT64);
            Runnable product = () -> scoped(() -> bank.scores(anchors, neg).sum().getFloat());
            Runnable gather = () -> scoped(() -> bank.array().get(new NDIndex("{}", neg))
                    .batchMatMul(anchors.expandDims(2)).sum().getFloat());
            Runnable write = () -> scoped(() -> bank.update(idx, anchors, 0.9f));
            Timings.of(2, product);
            Timings.of(2, gather);
            return new double[] {Timings.of(repetitions, product).median(), Timings.of(repetitions, gather).median(),
                Timings.of(repetitions, write).median()};
        }
    }

    private static void scoped(Runnable r) {
        try (NDScope scope = new NDScope()) {
            r.run();
            scope.suppressNotUsedWarning();
        }
    }

    /** Images per second through the CIFAR training pipeline (pad-4 crop, flip, normalise) in batches of 256. */
    public double augmentation(int repetitions) {
        ImageSet data = cifar();
        CropFlip cropFlip = new CropFlip(4, true);
        int[] idx = new int[256];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i * 7;
        }
        try (NDManager m = Engines.training().newBaseManager()) {
            SplittableRandom random = new SplittableRandom(1);
            Runnable work = () -> {
                try (NDManager step = m.newSubManager()) {
                    data.images(step, idx, cropFlip, random);
                }
            };
            Timings.of(3, work);
            return idx.length * 1000.0 / Timings.of(repetitions, work).median();
        }
    }
}
