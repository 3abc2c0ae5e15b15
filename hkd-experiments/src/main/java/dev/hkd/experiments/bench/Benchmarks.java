package dev.hkd.experiments.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.hkd.api.DistillationStep;
import dev.hkd.api.Distiller;
import dev.hkd.api.DistillerProvider;
import dev.hkd.api.DistillerSetup;
import dev.hkd.api.LossTerms;
import dev.hkd.api.NetworkOutput;
import dev.hkd.api.Scalars;
import dev.hkd.api.StepBatch;
import dev.hkd.graph.KnnGraphBuilder;
import dev.hkd.losses.contrast.BankScoring;
import dev.hkd.losses.contrast.BankScoringCost;
import dev.hkd.training.config.ConfigLoader;
import dev.hkd.training.config.MethodConfig;
import dev.hkd.training.config.OptimizerConfig;
import dev.hkd.training.config.ScheduleConfig;
import dev.hkd.training.config.TrainingConfig;
import dev.hkd.training.data.Augmentation;
import dev.hkd.training.data.Cifar;
import dev.hkd.training.data.CropFlip;
import dev.hkd.training.data.ImageSet;
import dev.hkd.training.data.RunData;
import dev.hkd.training.io.RunFolder;
import dev.hkd.training.methods.DistillerRegistry;
import dev.hkd.training.methods.MethodSet;
import dev.hkd.training.models.FeatureNetwork;
import dev.hkd.training.models.ImageLayout;
import dev.hkd.training.models.ModelZoo;
import dev.hkd.training.train.ContrastSampler;
import dev.hkd.training.train.Engines;
import dev.hkd.training.train.Networks;
import dev.hkd.training.train.ResidentMemory;
import dev.hkd.training.train.Seeds;
import dev.hkd.training.train.StepAssembly;
import dev.hkd.training.train.TeacherPass;
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
    public record StepResult(
            String method,
            double medianMs,
            double p10Ms,
            double p90Ms,
            double imagesPerSecond,
            long rssAfterWarmupMiB,
            long rssEndMiB,
            long peakRssMiB) {}

    /**
     * What the step and cohort workloads share: the networks, the batch, K for CRD and HKD, the
     * unmeasured and measured steps, and the frozen teacher's image layout.
     */
    public record StepSetup(
            String teacher,
            String student,
            int batch,
            int negatives,
            int warmup,
            int steps,
            ImageLayout teacherLayout) {}

    static final int N = 50_000;
    /** The evaluation batch of {@code hkd train} by default. */
    static final int EVAL_BATCH = 256;
    /** The reference recipe's SGD: lr 0.05, momentum 0.9, weight decay 5e-4. */
    static final OptimizerConfig BENCH_SGD = new OptimizerConfig(0.05, 0.9, 5e-4, false);

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
     * warm-up, with the frozen teacher's images in {@code setup.teacherLayout()}; resident memory after
     * warm-up and at the end shows whether native memory grows.
     */
    public StepResult trainingStep(String methodName, StepSetup setup) {
        int batch = setup.batch();
        try (NDManager m = Engines.training().newBaseManager()) {
            Engines.seed(1);
            FeatureNetwork teacher = frozenTeacher(m, setup.teacher());
            TrainingBatches batches = TrainingBatches.of(cifar(), new CropFlip(4, true));
            TrainingStep step = cifarStep(m, teacher, methodName, setup, batches);
            int[] order = Seeds.epochOrder(1, 0, N);
            int[] at = {0};
            Runnable one = () -> {
                int from = (at[0] * batch) % (N - batch);
                step.run(java.util.Arrays.copyOfRange(order, from, from + batch), 0, at[0]++, 0.05);
            };
            Timings.of(setup.warmup(), one);
            long rssAfterWarmup = ResidentMemory.currentMiB();
            Timings t = Timings.of(setup.steps(), one);
            return new StepResult(
                    methodName,
                    t.median(),
                    t.percentile(10),
                    t.percentile(90),
                    batch * 1000.0 / t.median(),
                    rssAfterWarmup,
                    ResidentMemory.currentMiB(),
                    ResidentMemory.peakMiB());
        }
    }

    /** A new student and its method's step on CIFAR-100-shaped batches, as a run assembles them, seed 1. */
    private TrainingStep cifarStep(
            NDManager m, FeatureNetwork teacher, String methodName, StepSetup setup, TrainingBatches batches) {
        FeatureNetwork student = network(m, setup.student());
        MethodSet method =
                MethodSet.build(methodConfig(methodName, setup.negatives()), DistillerRegistry.fromClasspath(), null);
        StepAssembly.prepare(method, m, student, teacher, m.zeros(new Shape(2, 3, 32, 32)), 100, N);
        ContrastSampler sampler = ContrastSampler.forMethod(method.dataNeeds(), cifar().labels(), 100);
        TrainingStep.Parts parts = new TrainingStep.Parts(new Networks(student, teacher), method, batches, 1, sampler);
        return StepAssembly.assemble(m, parts, BENCH_SGD, setup.teacherLayout()).step();
    }

    /** Result of the cohort workload: one teacher pass plus M student steps against M full steps, median ms of each. */
    public record CohortResult(
            List<String> methods,
            double cohortMedianMs,
            double cohortP10Ms,
            double cohortP90Ms,
            double fullStepsMedianMs,
            double fullStepsP10Ms,
            double fullStepsP90Ms,
            long peakRssMiB) {}

    /**
     * A cohort step as {@code hkd run --cohorts} runs it: the frozen teacher's pass once for the
     * batch, then each method's student step on it; against the same methods each taking a full
     * step of its own (its own teacher pass), as cells alone do. Both on the same networks, data
     * and batches, after warm-up.
     */
    public CohortResult cohortStep(List<String> methodNames, StepSetup setup) {
        int batch = setup.batch();
        try (NDManager m = Engines.training().newBaseManager()) {
            Engines.seed(1);
            FeatureNetwork teacher = frozenTeacher(m, setup.teacher());
            TrainingBatches batches = TrainingBatches.of(cifar(), new CropFlip(4, true));
            List<TrainingStep> members = new ArrayList<>();
            for (String name : methodNames) {
                members.add(cifarStep(m, teacher, name, setup, batches));
            }
            TeacherPass pass = members.get(0).pass();
            int stepsPerEpoch = N / batch;
            int[] at = {0};
            Runnable cohort = () -> {
                int step = at[0]++ % stepsPerEpoch;
                try (NDScope scope = new NDScope();
                        NDManager s = m.newSubManager()) {
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
            Timings.of(setup.warmup(), cohort);
            Timings.of(setup.warmup(), alone);
            // Alternating rounds, so that a busy machine slows both alike.
            List<Double> cohortMs = new ArrayList<>();
            List<Double> aloneMs = new ArrayList<>();
            for (int i = 0; i < setup.steps(); i++) {
                cohortMs.add(Timings.of(1, cohort).median());
                aloneMs.add(Timings.of(1, alone).median());
            }
            Timings c = new Timings(
                    cohortMs.stream().mapToDouble(Double::doubleValue).toArray());
            Timings a = new Timings(
                    aloneMs.stream().mapToDouble(Double::doubleValue).toArray());
            return new CohortResult(
                    List.copyOf(methodNames),
                    c.median(),
                    c.percentile(10),
                    c.percentile(90),
                    a.median(),
                    a.percentile(10),
                    a.percentile(90),
                    ResidentMemory.peakMiB());
        }
    }

    /** Result of the epoch workload: {@code imagesPerSecond} counts training images over the whole epoch's wall time. */
    public record EpochResult(
            String method,
            int trainImages,
            int testImages,
            double seconds,
            double imagesPerSecond,
            double trainImagesPerSecond,
            double testTop1) {}

    /**
     * One whole epoch of the training loop on random CIFAR-shaped images, as {@code hkd train}
     * runs it: shuffling, pad-4 crop and flip, normalisation, every step, evaluation on the test
     * images, and the end-of-epoch checkpoint. The teacher is randomly initialised (its weights do
     * not change the cost).
     */
    public EpochResult epoch(
            String methodName,
            String teacherName,
            String studentName,
            int batch,
            int trainImages,
            int testImages,
            int negatives)
            throws IOException {
        ImageSet train = randomCifar("random-cifar-train", trainImages, 1);
        ImageSet test = randomCifar("random-cifar-test", testImages, 2);
        Path out = Files.createTempDirectory("hkd-bench-epoch");
        try (NDManager m = Engines.training().newBaseManager()) {
            Engines.seed(1);
            FeatureNetwork teacher = frozenTeacher(m, teacherName);
            FeatureNetwork student = network(m, studentName);
            MethodSet method =
                    MethodSet.build(methodConfig(methodName, negatives), DistillerRegistry.fromClasspath(), null);
            try (NDManager s = m.newSubManager()) {
                StepAssembly.prepare(
                        method,
                        m,
                        student,
                        teacher,
                        test.images(s, new int[] {0, 1}, Augmentation.NONE, null),
                        100,
                        trainImages);
            }
            TrainingConfig training = new TrainingConfig(BENCH_SGD, new ScheduleConfig(1, List.of(), 0.1), batch);
            Trainer trainer = new Trainer(new Trainer.Setup(
                    m,
                    new Networks(student, teacher),
                    method,
                    ContrastSampler.forMethod(method.dataNeeds(), train.labels(), 100),
                    new RunData(train, test, new CropFlip(4, true)),
                    new Trainer.Recipe(training, 1, EVAL_BATCH, 0),
                    new Trainer.Output(new RunFolder(out), new TrainingListener() {})));
            long t0 = System.nanoTime();
            Trainer.Result result = trainer.run(Long.MAX_VALUE);
            double seconds = (System.nanoTime() - t0) / 1e9;
            return new EpochResult(
                    methodName,
                    trainImages,
                    testImages,
                    seconds,
                    trainImages / seconds,
                    result.last().imagesPerSecond(),
                    result.last().testTop1());
        } finally {
            try (Stream<java.nio.file.Path> files = Files.walk(out)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    /** {@link #network}, frozen: every workload's teacher. */
    private static FeatureNetwork frozenTeacher(NDManager m, String name) {
        FeatureNetwork teacher = network(m, name);
        teacher.freeze();
        return teacher;
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
            com.fasterxml.jackson.databind.JsonNode defaults =
                    ConfigLoader.mapper().valueToTree(registry.get(id).defaultConfig());
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
     * One memory-bank method's own step at bank size N, with one formulation of the scoring: its
     * loss (embedding heads, scores against the banks, HKD's graphs), backward and the bank writes.
     *
     * @param estimate the cost model's estimate per step (every bank of the method)
     * @param chosenByAuto whether {@code bank_scoring: auto} picks this formulation at these sizes
     * @param medianCpuMs the process's CPU time per step (all threads, user and system), median: on a shared
     *     machine it moves far less than wall time with the other jobs
     * @param firstLoss the loss of the first step; every formulation starts from the same state and inputs
     * @param peakRssMiB the process's peak resident memory over this formulation's steps alone (−1 where the
     *     kernel does not let the peak be reset)
     * @param rssBeforeMiB resident memory with the method prepared (its banks allocated), before the first step
     */
    public record BankStep(
            String method,
            BankScoring formulation,
            double medianMs,
            double p10Ms,
            double p90Ms,
            double medianCpuMs,
            double firstLoss,
            long rssBeforeMiB,
            long peakRssMiB,
            BankScoringCost estimate,
            boolean chosenByAuto) {}

    /** Width of the penultimate features the embedding heads read (the heads' cost is the same in every formulation). */
    private static final int BANK_FEATURES = 256;

    /**
     * {@code method} (crd or hkd, d = {@code dim}, K = {@code negatives}) with {@code bank_scoring}
     * forced to {@code formulation}, over banks of {@code bankSize} rows: {@code warmup} unmeasured
     * then {@code steps} measured steps on random features, batch rows {@code batch} distinct
     * indices, uniform contrast indices. The same seed gives every formulation the same banks,
     * heads and inputs.
     */
    public BankStep memoryBankStep(
            String method,
            BankScoring formulation,
            int bankSize,
            int batch,
            int negatives,
            int dim,
            int warmup,
            int steps) {
        DistillerProvider<?> provider = DistillerRegistry.fromClasspath().get(method);
        com.fasterxml.jackson.databind.node.ObjectNode options = JsonNodeFactory.instance
                .objectNode()
                .put("feat_dim", dim)
                .put("nce_k", negatives)
                .put("bank_scoring", formulation.optionValue());
        Distiller distiller = create(provider, options);
        int columns = distiller.dataNeeds().contrastMode().columns(negatives);
        try (NDManager m = Engines.training().newBaseManager()) {
            Engines.seed(1);
            distiller.prepare(new DistillerSetup(
                    m, List.of(new Shape(BANK_FEATURES)), List.of(new Shape(BANK_FEATURES)), 100, bankSize));
            long rssBefore = ResidentMemory.currentMiB();
            boolean ownPeak = PeakResidentMemory.reset();
            double[] firstLoss = {Double.NaN};
            int[] at = {0};
            Runnable one = () -> {
                try (NDManager step = m.newSubManager()) {
                    Engines.seed(100 + at[0]);
                    NDArray featS = step.randomNormal(new Shape(batch, BANK_FEATURES));
                    featS.setRequiresGradient(true);
                    NDArray featT = step.randomNormal(new Shape(batch, BANK_FEATURES));
                    NDArray logitsS = step.randomNormal(new Shape(batch, 100));
                    NDArray logitsT = step.randomNormal(new Shape(batch, 100));
                    NDArray idx = Scalars.mod(
                            Scalars.add(step.arange(0, batch, 1, DataType.INT64), (double) at[0] * batch), bankSize);
                    NDArray contrast = step.randomInteger(0, bankSize, new Shape(batch, columns), DataType.INT64);
                    StepBatch rows = new StepBatch(step.zeros(new Shape(batch), DataType.INT64), idx, contrast, 0);
                    try (GradientCollector gc = Engines.training().newGradientCollector()) {
                        LossTerms terms = distiller.loss(new DistillationStep(
                                new NetworkOutput(logitsS, List.of(featS), List.of()),
                                new NetworkOutput(logitsT, List.of(featT), List.of()),
                                rows,
                                new ParameterStore(step, false),
                                true));
                        NDArray total = terms.sum();
                        gc.backward(total);
                        if (at[0] == 0) {
                            firstLoss[0] = total.toType(DataType.FLOAT64, false).getDouble();
                        }
                    }
                    distiller.updateState();
                    at[0]++;
                }
            };
            Timings.of(warmup, one);
            double[] cpuMs = new double[steps];
            int[] measured = {0};
            Timings t = Timings.of(steps, () -> {
                long cpu0 = ProcessCpu.nanos();
                one.run();
                cpuMs[measured[0]++] = (ProcessCpu.nanos() - cpu0) / 1e6;
            });
            int anchorSets = method.equals("hkd") ? 2 : 1;
            int banks = 2;
            BankScoringCost perBank = formulation == BankScoring.GATHERED
                    ? BankScoringCost.gathered(batch, columns, bankSize, dim, anchorSets, 4)
                    : BankScoringCost.wholeBank(batch, columns, bankSize, dim, anchorSets, 4);
            BankScoringCost estimate =
                    new BankScoringCost(banks * perBank.flops(), banks * perBank.bytes(), banks * perBank.heldBytes());
            boolean auto = BankScoring.AUTO.resolve(batch, columns, bankSize, dim, anchorSets, 4) == formulation;
            return new BankStep(
                    method,
                    formulation,
                    t.median(),
                    t.percentile(10),
                    t.percentile(90),
                    new Timings(cpuMs).median(),
                    firstLoss[0],
                    rssBefore,
                    ownPeak ? PeakResidentMemory.peakMiB() : -1,
                    estimate,
                    auto);
        }
    }

    private static <C> Distiller create(
            DistillerProvider<C> provider, com.fasterxml.jackson.databind.JsonNode options) {
        C config = MethodSet.bindOptions(provider, options, null);
        provider.validate(config);
        return provider.create(config);
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
