package dev.hkd.training.train;

import java.util.SplittableRandom;

/**
 * Every random stream of a run derives from (seed, purpose, epoch, step), so the "RNG state" of a
 * checkpoint is just its position and a resumed run draws exactly what an uninterrupted one would.
 */
public final class Seeds {

    /** Streams used by the framework; distinct so that they never correlate. */
    public static final long SHUFFLE = 1;

    public static final long AUGMENT = 2;
    public static final long CONTRAST = 3;
    public static final long INIT = 4;

    private Seeds() {}

    public static long derive(long seed, long... parts) {
        long h = mix(seed ^ 0x9E3779B97F4A7C15L);
        for (long p : parts) {
            h = mix(h ^ mix(p + 0x632BE59BD9B4E019L));
        }
        return h;
    }

    public static SplittableRandom random(long seed, long... parts) {
        return new SplittableRandom(derive(seed, parts));
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The shuffled order of {@code n} samples for a 0-based epoch. */
    public static int[] epochOrder(long seed, int epoch, int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom random = random(seed, SHUFFLE, epoch);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
