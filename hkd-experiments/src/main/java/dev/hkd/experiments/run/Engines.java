package dev.hkd.experiments.run;

import ai.djl.engine.Engine;

/** The training engine (PyTorch), offline unless CUDA natives are to be fetched. */
public final class Engines {

    private Engines() {
    }

    /** PyTorch with {@code ai.djl.offline=true} unless the user set it (the {@code -Dcuda} build needs the network). */
    public static Engine training() {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        return Engine.getEngine("PyTorch");
    }

    /** Seeds the engine's generator for one purpose, so each model's initialisation is reproducible on its own. */
    public static void seed(long derivedSeed) {
        training().setRandomSeed((int) (derivedSeed ^ (derivedSeed >>> 32)) & 0x7fffffff);
    }
}
