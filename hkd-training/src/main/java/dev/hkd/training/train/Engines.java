package dev.hkd.training.train;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/** The training engine (PyTorch), offline unless CUDA natives are to be fetched. */
public final class Engines {

    private Engines() {}

    /** PyTorch with {@code ai.djl.offline=true} unless the user set it (the {@code -Dcuda} build needs the network). */
    public static Engine training() {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        return Engine.getEngine("PyTorch");
    }

    /** libtorch's intra-op thread count in this process: CPU results depend on it (the order of its sums). */
    public static int intraOpThreads() {
        training();
        return JniUtils.getNumThreads();
    }

    /** Asks libtorch for {@code threads} intra-op threads; returns the count it then uses. */
    public static int useIntraOpThreads(int threads) {
        training();
        JniUtils.setNumThreads(threads);
        return JniUtils.getNumThreads();
    }

    /** Seeds the engine's generator for one purpose, so each model's initialisation is reproducible on its own. */
    public static void seed(long derivedSeed) {
        training().setRandomSeed((int) (derivedSeed ^ (derivedSeed >>> 32)) & 0x7fffffff);
    }
}
