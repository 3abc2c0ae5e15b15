package dev.hkd.experiments.cli;

import dev.hkd.experiments.bench.Benchmarks;
import dev.hkd.losses.contrast.BankScoring;
import dev.hkd.runner.run.MachineBounds;
import dev.hkd.training.models.ImageLayout;
import dev.hkd.training.train.Engines;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "bench",
        description =
                "Measure a training step per method, a whole epoch, kNN graphs, memory banks and augmentation on CIFAR-shaped random data.")
final class BenchCommand implements Callable<Integer> {

    @Option(
            names = "--workload",
            defaultValue = "all",
            description =
                    "step, cohort, epoch, knn, memory, augment, imagenet-data or all (default ${DEFAULT-VALUE}; all leaves out epoch and cohort,"
                            + " which take minutes, and imagenet-data, which needs --data-dir)")
    String workload;

    @Option(
            names = "--methods",
            defaultValue = "kd,crd,hkd",
            split = ",",
            description =
                    "methods of the step workload, times relative to the first;"
                            + " the memory workload runs the memory-bank ones among them, crd and hkd (default ${DEFAULT-VALUE})")
    List<String> methods;

    @Option(names = "--teacher", defaultValue = "resnet32x4", description = "default ${DEFAULT-VALUE}")
    String teacher;

    @Option(names = "--student", defaultValue = "resnet8x4", description = "default ${DEFAULT-VALUE}")
    String student;

    @Option(names = "--batch", defaultValue = "64", description = "default ${DEFAULT-VALUE}")
    int batch;

    @Option(names = "--negatives", defaultValue = "16384", description = "K for CRD and HKD (default ${DEFAULT-VALUE})")
    int negatives;

    @Option(
            names = "--bank-size",
            paramLabel = "N",
            defaultValue = "50000",
            description = "rows of each memory bank in the memory"
                    + " workload: the training set's size (default ${DEFAULT-VALUE}, CIFAR's; ImageNet's is 1281167)")
    int bankSize;

    @Option(names = "--warmup", defaultValue = "3", description = "unmeasured steps first (default ${DEFAULT-VALUE})")
    int warmup;

    @Option(
            names = "--steps",
            defaultValue = "10",
            description = "measured steps per method (default ${DEFAULT-VALUE})")
    int steps;

    @Option(
            names = "--repetitions",
            defaultValue = "20",
            description = "repetitions of each microbenchmark (default ${DEFAULT-VALUE})")
    int repetitions;

    @Option(
            names = "--train-images",
            defaultValue = "6400",
            description = "training images of the epoch workload (default ${DEFAULT-VALUE})")
    int trainImages;

    @Option(
            names = "--test-images",
            defaultValue = "2000",
            description = "test images of the epoch workload (default ${DEFAULT-VALUE})")
    int testImages;

    @Option(
            names = "--teacher-layout",
            defaultValue = "channels-last",
            description = "memory layout of the frozen teacher's"
                    + " images in the step workload: channels-last (as training runs it) or contiguous (the reference's NCHW)"
                    + " (default ${DEFAULT-VALUE})")
    String teacherLayout;

    @Option(
            names = "--threads",
            paramLabel = "N",
            description = "libtorch intra-op threads (default: libtorch's, one per core);"
                    + " for imagenet-data the decode threads (data.workers, default 2)")
    Integer threads;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description = "an ImageNet-layout folder (train/<wnid>/*.JPEG) for the imagenet-data workload")
    java.nio.file.Path dataDir;

    @Option(
            names = "--image-size",
            defaultValue = "224",
            description = "sample side of the imagenet-data workload (default ${DEFAULT-VALUE})")
    int imageSize;

    @Option(
            names = "--reduced-decode",
            description = "imagenet-data: decode JPEGs at reduced size where the crop shrinks (data.reduced_decode)")
    Boolean reducedDecode;

    /** A count option out of its range is one line naming it (a zero batch or no steps measure nothing). */
    private static void atLeast(String option, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(option + ": must be between " + min + " and " + max + ", got " + value);
        }
    }

    @Override
    public Integer call() {
        if (!List.of("step", "cohort", "epoch", "knn", "memory", "augment", "imagenet-data", "all")
                .contains(workload)) {
            throw new IllegalArgumentException("--workload: unknown '" + workload
                    + "'; valid: step, cohort, epoch, knn, memory, augment, imagenet-data, all");
        }
        if (workload.equals("imagenet-data")) {
            return imageNetData();
        }
        atLeast("--batch", batch, 1, 65536);
        atLeast("--steps", steps, 1, 1_000_000);
        atLeast("--warmup", warmup, 0, 1_000_000);
        atLeast("--negatives", negatives, 1, 1 << 20);
        atLeast("--repetitions", repetitions, 1, 1_000_000);
        atLeast("--train-images", trainImages, 1, 10_000_000);
        atLeast("--test-images", testImages, 2, 10_000_000);
        if (trainImages < batch || testImages < 2) {
            throw new IllegalArgumentException(
                    "--train-images must be at least --batch (" + batch + ") and --test-images at least 2");
        }
        ImageLayout layout = switch (teacherLayout) {
            case "channels-last" -> ImageLayout.CHANNELS_LAST;
            case "contiguous" -> ImageLayout.CONTIGUOUS;
            default ->
                throw new IllegalArgumentException(
                        "--teacher-layout: unknown '" + teacherLayout + "'; valid: channels-last, contiguous");
        };
        if ((workload.equals("memory") || workload.equals("all")) && bankSize <= negatives) {
            throw new IllegalArgumentException(
                    "--bank-size: must be larger than --negatives (" + negatives + "), got " + bankSize);
        }
        MachineBounds.requireThreads(threads, "--threads");
        int used = threads == null ? Engines.intraOpThreads() : Engines.useIntraOpThreads(threads);
        Benchmarks b = new Benchmarks();
        Benchmarks.StepSetup setup =
                new Benchmarks.StepSetup(teacher, student, batch, negatives, warmup, steps, layout);
        System.out.printf(
                "machine: %d cores, Java %s, %s %s, %d intra-op threads%n",
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"),
                Engines.training().getEngineName(),
                Engines.training().getVersion(),
                used);
        boolean all = workload.equals("all");
        if (all || workload.equals("step")) {
            System.out.printf(
                    "%ntraining step: %s -> %s, batch %d, K = %d, teacher %s, %d warm-up + %d measured steps"
                            + " (SGD included)%n",
                    teacher, student, batch, negatives, teacherLayout, warmup, steps);
            System.out.printf(
                    "%-10s %10s %10s %10s %9s %9s %14s %10s%n",
                    "method",
                    "median ms",
                    "p10 ms",
                    "p90 ms",
                    "img/s",
                    "x " + methods.get(0),
                    "RSS MiB start",
                    "end / peak");
            List<Benchmarks.StepResult> results = new ArrayList<>();
            // Step times relative to the first method listed (KD by default).
            double reference = Double.NaN;
            for (String m : methods) {
                Benchmarks.StepResult r = b.trainingStep(m, setup);
                results.add(r);
                if (Double.isNaN(reference)) {
                    reference = r.medianMs();
                }
                System.out.printf(
                        "%-10s %10.1f %10.1f %10.1f %9.1f %9s %14d %5d / %d%n",
                        m,
                        r.medianMs(),
                        r.p10Ms(),
                        r.p90Ms(),
                        r.imagesPerSecond(),
                        String.format("%.2f", r.medianMs() / reference),
                        r.rssAfterWarmupMiB(),
                        r.rssEndMiB(),
                        r.peakRssMiB());
            }
        }
        if (workload.equals("cohort")) {
            System.out.printf(
                    "%ncohort step: %s -> %s, batch %d, K = %d, teacher %s, methods %s: one teacher pass plus %d student"
                            + " steps against %d full steps, %d warm-up + %d measured rounds, alternating%n",
                    teacher,
                    student,
                    batch,
                    negatives,
                    teacherLayout,
                    String.join(",", methods),
                    methods.size(),
                    methods.size(),
                    warmup,
                    steps);
            Benchmarks.CohortResult r = b.cohortStep(methods, setup);
            System.out.printf("%-34s %10s %10s %10s%n", "", "median ms", "p10 ms", "p90 ms");
            System.out.printf(
                    "%-34s %10.1f %10.1f %10.1f%n",
                    "one teacher pass + " + methods.size() + " students",
                    r.cohortMedianMs(),
                    r.cohortP10Ms(),
                    r.cohortP90Ms());
            System.out.printf(
                    "%-34s %10.1f %10.1f %10.1f%n",
                    methods.size() + " full steps", r.fullStepsMedianMs(), r.fullStepsP10Ms(), r.fullStepsP90Ms());
            System.out.printf(
                    "cohort / alone: %.2f; peak RSS %d MiB%n",
                    r.cohortMedianMs() / r.fullStepsMedianMs(), r.peakRssMiB());
        }
        if (workload.equals("epoch")) {
            System.out.printf(
                    "%none epoch: %s -> %s, batch %d, %d random CIFAR-shaped training images (crop, flip, normalise),"
                            + " evaluation on %d, checkpoint%n",
                    teacher, student, batch, trainImages, testImages);
            System.out.printf("%-10s %10s %12s %16s%n", "method", "seconds", "img/s epoch", "img/s training");
            for (String m : methods) {
                Benchmarks.EpochResult r;
                try {
                    r = b.epoch(m, teacher, student, batch, trainImages, testImages, negatives);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                System.out.printf(
                        "%-10s %10.1f %12.1f %16.1f%n", m, r.seconds(), r.imagesPerSecond(), r.trainImagesPerSecond());
            }
        }
        if (all || workload.equals("knn")) {
            System.out.printf(
                    "%nkNN graph (k = 8, softmax cosine distance, propagation matrix), median of %d%n", repetitions);
            for (double[] row : b.knnGraph(new int[] {64, 128, 256, 512, 1024}, repetitions)) {
                System.out.printf("  batch %5d: %8.3f ms%n", (int) row[0], row[1]);
            }
        }
        if (all || workload.equals("memory")) {
            memory(b);
        }
        if (all || workload.equals("augment")) {
            System.out.printf(
                    "%nCIFAR augmentation (pad-4 crop, flip, normalise, to NDArray), batches of 256: %.0f images/s%n",
                    b.augmentation(repetitions));
        }
        return 0;
    }

    /** Each memory-bank method's own step in both formulations of the scoring, and which one auto picks. */
    private void memory(Benchmarks b) {
        int dim = 128;
        System.out.printf(
                "%nmemory banks: N = %d, d = %d, batch %d, K = %d; each method's own step (loss, backward, bank"
                        + " writes), %d warm-up + %d measured%n",
                bankSize, dim, batch, negatives, warmup, steps);
        System.out.printf(
                "  the banks themselves: 2 x %d x %d x 4 bytes = %.0f MiB per method%n",
                bankSize, dim, 2.0 * bankSize * dim * 4 / (1 << 20));
        System.out.printf(
                "%-6s %-11s %10s %10s %10s %10s %13s %10s %10s %9s %11s %5s%n",
                "method",
                "scoring",
                "median ms",
                "p10 ms",
                "p90 ms",
                "CPU ms",
                "first loss",
                "RSS MiB",
                "peak MiB",
                "model ms",
                "model held",
                "auto");
        List<String> bankMethods =
                methods.stream().filter(m -> m.equals("crd") || m.equals("hkd")).toList();
        for (String method : bankMethods.isEmpty() ? List.of("crd", "hkd") : bankMethods) {
            Double reference = null;
            for (BankScoring formulation : List.of(BankScoring.WHOLE_BANK, BankScoring.GATHERED)) {
                Benchmarks.BankStep r =
                        b.memoryBankStep(method, formulation, bankSize, batch, negatives, dim, warmup, steps);
                System.out.printf(
                        "%-6s %-11s %10.1f %10.1f %10.1f %10.1f %13.7f %10d %10s %9.1f %7.0f MiB %5s%n",
                        method,
                        formulation.optionValue(),
                        r.medianMs(),
                        r.p10Ms(),
                        r.p90Ms(),
                        r.medianCpuMs(),
                        r.firstLoss(),
                        r.rssBeforeMiB(),
                        r.peakRssMiB() < 0 ? "n/a" : Long.toString(r.peakRssMiB()),
                        r.estimate().seconds() * 1e3,
                        r.estimate().heldBytes() / (1 << 20),
                        r.chosenByAuto() ? "<-" : "");
                if (reference == null) {
                    reference = r.firstLoss();
                } else {
                    System.out.printf(
                            "  %s: first-step loss differs by %.2e relative between the formulations%n",
                            method, Math.abs(r.firstLoss() - reference) / Math.abs(reference));
                }
            }
        }
    }

    /** {@code imagenet-data: X images/s}, the one line reproducibility/bench/compare_imagenet_data.sh reads. */
    private int imageNetData() {
        if (dataDir == null) {
            throw new IllegalArgumentException("--data-dir: the imagenet-data workload needs an ImageNet-layout folder"
                    + " (reproducibility/bench/make_imagenet_jpeg_folder.py writes one)");
        }
        int workers = threads == null ? dev.hkd.training.config.DataConfig.DEFAULT_WORKERS : threads;
        if (workers < 1 || workers > dev.hkd.training.config.DataConfig.MAX_WORKERS) {
            throw new IllegalArgumentException("--threads: decode threads must be in [1, "
                    + dev.hkd.training.config.DataConfig.MAX_WORKERS + "], got " + workers);
        }
        if (batch < 1 || steps < 1 || warmup < 0) {
            throw new IllegalArgumentException("--batch and --steps must be at least 1 and --warmup at least 0");
        }
        dev.hkd.experiments.bench.ImageNetDataBench.Result r = dev.hkd.experiments.bench.ImageNetDataBench.run(
                dataDir, workers, batch, imageSize, warmup, steps, reducedDecode);
        System.out.printf("imagenet-data: %.1f images/s%n", r.imagesPerSecond());
        System.err.printf(
                "(%d images in %.2f s, %d decode threads, batch %d, %d×%d, reduced decode %s)%n",
                r.images(), r.seconds(), workers, batch, imageSize, imageSize, r.reducedDecode());
        return 0;
    }
}
