package dev.hkd.experiments.bench;

import java.util.Arrays;

/** Repeated wall-clock measurements of one workload: median and spread. */
public record Timings(double[] millis) {

    public static Timings of(int repetitions, Runnable work) {
        double[] ms = new double[repetitions];
        for (int i = 0; i < repetitions; i++) {
            long t0 = System.nanoTime();
            work.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        return new Timings(ms);
    }

    public double median() {
        return percentile(50);
    }

    public double percentile(double p) {
        double[] sorted = millis.clone();
        Arrays.sort(sorted);
        int i = (int) Math.round(p / 100 * (sorted.length - 1));
        return sorted[i];
    }
}
