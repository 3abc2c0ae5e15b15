package dev.hkd.experiments.cli;

import dev.hkd.experiments.bench.Benchmarks;
import dev.hkd.training.models.ImageLayout;
import dev.hkd.training.train.Engines;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true, description = "Measure a training step per method, a whole epoch, kNN graphs, memory banks and augmentation on CIFAR-shaped random data.")
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--workload", defaultValue = "all", description = "step, cohort, epoch, knn, memory, augment or all (default ${DEFAULT-VALUE}; all leaves out epoch and cohort, which take minutes)")
    String workload;

    @Option(names = "--methods", defaultValue = "kd,crd,hkd", split = ",", description = "methods of the step workload, times relative to the first (default ${DEFAULT-VALUE})")
    List<String> methods;

    @Option(names = "--teacher", defaultValue = "resnet32x4", description = "default ${DEFAULT-VALUE}")
    String teacher;

    @Option(names = "--student", defaultValue = "resnet8x4", description = "default ${DEFAULT-VALUE}")
    String student;

    @Option(names = "--batch", defaultValue = "64", description = "default ${DEFAULT-VALUE}")
    int batch;

    @Option(names = "--negatives", defaultValue = "16384", description = "K for CRD and HKD (default ${DEFAULT-VALUE})")
    int negatives;

    @Option(names = "--warmup", defaultValue = "3", description = "unmeasured steps first (default ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--steps", defaultValue = "10", description = "measured steps per method (default ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--repetitions", defaultValue = "20", description = "repetitions of each microbenchmark (default ${DEFAULT-VALUE})")
    int repetitions;

    @Option(names = "--train-images", defaultValue = "6400", description = "training images of the epoch workload (default ${DEFAULT-VALUE})")
    int trainImages;

    @Option(names = "--test-images", defaultValue = "2000", description = "test images of the epoch workload (default ${DEFAULT-VALUE})")
    int testImages;

    @Option(names = "--teacher-layout", defaultValue = "channels-last", description = "memory layout of the frozen teacher's"
            + " images in the step workload: channels-last (as training runs it) or contiguous (the reference's NCHW)"
            + " (default ${DEFAULT-VALUE})")
    String teacherLayout;

    @Option(names = "--threads", paramLabel = "N", description = "libtorch intra-op threads (default: libtorch's, one per core)")
    Integer threads;

    @Override
    public Integer call() {
        if (!List.of("step", "cohort", "epoch", "knn", "memory", "augment", "all").contains(workload)) {
            throw new IllegalArgumentException("--workload: unknown '" + workload + "'; valid: step, cohort, epoch, knn, memory, augment, all");
        }
        if (trainImages < batch || testImages < 2) {
            throw new IllegalArgumentException("--train-images must be at least --batch (" + batch + ") and --test-images at least 2");
        }
        ImageLayout layout = switch (teacherLayout) {
            case "channels-last" -> ImageLayout.CHANNELS_LAST;
            case "contiguous" -> ImageLayout.CONTIGUOUS;
            default -> throw new IllegalArgumentException("--teacher-layout: unknown '" + teacherLayout + "'; valid: channels-last, contiguous");
        };
        if (threads != null && threads < 1) {
            throw new IllegalArgumentException("--threads: must be at least 1, got " + threads);
        }
        int used = threads == null ? Engines.intraOpThreads() : Engines.useIntraOpThreads(threads);
        Benchmarks b = new Benchmarks();
        System.out.printf("machine: %d cores, Java %s, %s %s, %d intra-op threads%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), Engines.training().getEngineName(), Engines.training().getVersion(), used);
        boolean all = workload.equals("all");
        if (all || workload.equals("step")) {
            System.out.printf("%ntraining step: %s -> %s, batch %d, K = %d, teacher %s, %d warm-up + %d measured steps"
                    + " (SGD included)%n", teacher, student, batch, negatives, teacherLayout, warmup, steps);
            System.out.printf("%-10s %10s %10s %10s %9s %9s %14s %10s%n", "method", "median ms", "p10 ms", "p90 ms", "img/s",
                    "x " + methods.get(0), "RSS MiB start", "end / peak");
            List<Benchmarks.StepResult> results = new ArrayList<>();
            // Step times relative to the first method listed (KD by default).
            double reference = Double.NaN;
            for (String m : methods) {
                Benchmarks.StepResult r = b.trainingStep(m, teacher, student, batch, negatives, warmup, steps, layout);
                results.add(r);
                if (Double.isNaN(reference)) {
                    reference = r.medianMs();
                }
                System.out.printf("%-10s %10.1f %10.1f %10.1f %9.1f %9s %14d %5d / %d%n", m, r.medianMs(), r.p10Ms(), r.p90Ms(),
                        r.imagesPerSecond(), String.format("%.2f", r.medianMs() / reference),
                        r.rssAfterWarmupMiB(), r.rssEndMiB(), r.peakRssMiB());
            }
        }
        if (workload.equals("cohort")) {
            System.out.printf("%ncohort step: %s -> %s, batch %d, K = %d, teacher %s, methods %s: one teacher pass plus %d student"
                    + " steps against %d full steps, %d warm-up + %d measured rounds, alternating%n", teacher, student, batch, negatives,
                    teacherLayout, String.join(",", methods), methods.size(), methods.size(), warmup, steps);
            Benchmarks.CohortResult r = b.cohortStep(methods, teacher, student, batch, negatives, warmup, steps, layout);
            System.out.printf("%-34s %10s %10s %10s%n", "", "median ms", "p10 ms", "p90 ms");
            System.out.printf("%-34s %10.1f %10.1f %10.1f%n", "one teacher pass + " + methods.size() + " students", r.cohortMedianMs(),
                    r.cohortP10Ms(), r.cohortP90Ms());
            System.out.printf("%-34s %10.1f %10.1f %10.1f%n", methods.size() + " full steps", r.fullStepsMedianMs(), r.fullStepsP10Ms(),
                    r.fullStepsP90Ms());
            System.out.printf("cohort / alone: %.2f; peak RSS %d MiB%n", r.cohortMedianMs() / r.fullStepsMedianMs(), r.peakRssMiB());
        }
        if (workload.equals("epoch")) {
            System.out.printf("%none epoch: %s -> %s, batch %d, %d random CIFAR-shaped training images (crop, flip, normalise),"
                    + " evaluation on %d, checkpoint%n", teacher, student, batch, trainImages, testImages);
            System.out.printf("%-10s %10s %12s %16s%n", "method", "seconds", "img/s epoch", "img/s training");
            for (String m : methods) {
                Benchmarks.EpochResult r;
                try {
                    r = b.epoch(m, teacher, student, batch, trainImages, testImages, negatives);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                System.out.printf("%-10s %10.1f %12.1f %16.1f%n", m, r.seconds(), r.imagesPerSecond(), r.trainImagesPerSecond());
            }
        }
        if (all || workload.equals("knn")) {
            System.out.printf("%nkNN graph (k = 8, softmax cosine distance, propagation matrix), median of %d%n", repetitions);
            for (double[] row : b.knnGraph(new int[] {64, 128, 256, 512, 1024}, repetitions)) {
                System.out.printf("  batch %5d: %8.3f ms%n", (int) row[0], row[1]);
            }
        }
        if (all || workload.equals("memory")) {
            double[] r = b.memoryBank(batch, negatives, 128, repetitions);
            System.out.printf("%nmemory bank N = 50000, d = 128, batch %d, K = %d, median of %d%n", batch, negatives, repetitions);
            System.out.printf("  score, whole-bank product (ours): %8.2f ms%n", r[0]);
            System.out.printf("  score, gather B x K x d (reference): %8.2f ms%n", r[1]);
            System.out.printf("  momentum write of the batch rows:    %8.2f ms%n", r[2]);
        }
        if (all || workload.equals("augment")) {
            System.out.printf("%nCIFAR augmentation (pad-4 crop, flip, normalise, to NDArray), batches of 256: %.0f images/s%n",
                    b.augmentation(repetitions));
        }
        return 0;
    }
}
