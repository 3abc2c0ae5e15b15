package dev.hkd.training.data;

import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code data.workers} threads that read and decode images while training runs. Daemon
 * threads that end after a few idle seconds, so a pool nobody closes never keeps a JVM alive or
 * holds threads between runs. Which thread decodes a sample never changes its pixels: every random
 * draw comes from the sample's own generator ({@link ImageSet}).
 */
public final class DecodePool {

    /** Bound on {@code data.workers}: beyond this, threads only contend (the machine has far fewer cores). */
    public static final int MAX_WORKERS = 64;

    private static final AtomicInteger POOLS = new AtomicInteger();

    private final ThreadPoolExecutor executor;
    private final int workers;

    public DecodePool(int workers) {
        if (workers < 1 || workers > MAX_WORKERS) {
            throw new IllegalArgumentException("workers " + workers + " outside [1, " + MAX_WORKERS + "]");
        }
        this.workers = workers;
        int pool = POOLS.incrementAndGet();
        AtomicInteger thread = new AtomicInteger();
        this.executor =
                new ThreadPoolExecutor(workers, workers, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "hkd-decode-" + pool + "-" + thread.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        executor.allowCoreThreadTimeOut(true);
    }

    public int workers() {
        return workers;
    }

    public <T> Future<T> submit(Callable<T> task) {
        return executor.submit(task);
    }
}
