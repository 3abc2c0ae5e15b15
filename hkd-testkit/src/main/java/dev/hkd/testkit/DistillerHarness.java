package dev.hkd.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import dev.hkd.api.ArrayCopy;
import dev.hkd.api.Distiller;
import dev.hkd.api.DistillerProvider;
import dev.hkd.api.ModelNeeds;
import dev.hkd.api.OptionBounds;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs a distiller the way the framework does — prepare, loss inside gradient recording, backward,
 * SGD on the student and the method's modules, {@code updateState} — on two {@link TinyNetwork}s
 * and 64 random images, and checks the contracts a distiller must keep:
 * <ul>
 *   <li>{@link #assertLossFalls}: trained on its own loss, the student learns, and no gradient
 *       reaches the teacher or the method's {@code state()};</li>
 *   <li>{@link #assertGcSafe}: gradients do not change when the garbage collector runs between
 *       forward and backward (a Java number inside the loss, {@code x.mul(0.5f)}, fails this:
 *       use {@link dev.hkd.api.Scalars});</li>
 *   <li>{@link #assertStateSurvivesCheckpoint}: a fresh instance loaded from {@code state()} and
 *       the modules' parameters continues exactly as the original does.</li>
 * </ul>
 * A distiller that only reads logits ({@link ModelNeeds#teacherFeatures()} false) gets a teacher
 * output without features, as a logits-only teacher gives it; one that needs no teacher
 * ({@link ModelNeeds#NONE}) gets none ({@code step.teacher()} is null), as in a run. A distiller's
 * own trainable parameters ({@code trainableModules()}, a learnt temperature as much as a head)
 * train beside the student and go through the checkpoint round trip.
 *
 * <pre>{@code
 * @Test
 * void meetsTheDistillerContracts() {
 *     DistillerHarness harness = DistillerHarness.of(new MseLogitsProvider());
 *     harness.assertLossFalls(40);
 *     harness.assertGcSafe();
 *     harness.assertStateSurvivesCheckpoint();
 * }
 * }</pre>
 */
public final class DistillerHarness {

    private final Supplier<Distiller> distillers;
    private int batchSize = 16;
    private double learningRate = 0.05;
    private int epoch;
    private int studentWidth = 4;
    private boolean teacherBatchNorms;

    private DistillerHarness(Supplier<Distiller> distillers) {
        this.distillers = distillers;
    }

    /** A harness for distillers made by {@code distillers}; each check asks it for fresh instances. */
    public static DistillerHarness of(Supplier<Distiller> distillers) {
        return new DistillerHarness(distillers);
    }

    /** A harness for the provider's distiller with its default options (which must meet their bounds and validate). */
    public static <C> DistillerHarness of(DistillerProvider<C> provider) {
        return of(provider, provider.defaultConfig());
    }

    /**
     * A harness for the provider's distiller with {@code options}, which must meet their declared
     * bounds ({@link OptionBounds}) and the provider's {@code validate}, as the framework requires.
     */
    public static <C> DistillerHarness of(DistillerProvider<C> provider, C options) {
        OptionBounds.check(options);
        provider.validate(options);
        return new DistillerHarness(() -> provider.create(options));
    }

    /** Samples per step (16 by default). */
    public DistillerHarness batchSize(int batchSize) {
        this.batchSize = batchSize;
        return this;
    }

    /** The SGD learning rate of {@link #train} (0.05 by default). */
    public DistillerHarness learningRate(double learningRate) {
        this.learningRate = learningRate;
        return this;
    }

    /**
     * The student's stem width (4 by default; the teacher's is 8): 8 gives both networks the same
     * channel counts, which methods such as KDSVD and FSP require.
     */
    public DistillerHarness studentWidth(int width) {
        this.studentWidth = width;
        return this;
    }

    /**
     * Gives the distiller's setup a BatchNorm (γ, β) for each teacher stage, drawn from a fixed seed,
     * for methods that read them (OFD's margins); the tiny teacher has no BatchNorm of its own.
     */
    public DistillerHarness teacherBatchNorms() {
        this.teacherBatchNorms = true;
        return this;
    }

    /**
     * The 0-based epoch every step reports to the distiller (0 by default), so that the loss of
     * one step compares with the next: a method whose weight ramps up over epochs (ReviewKD's
     * warm-up is 0 at epoch 0) is checked at an epoch after its ramp.
     */
    public DistillerHarness epoch(int epoch) {
        this.epoch = epoch;
        return this;
    }

    /**
     * Trains the student on the distiller's loss alone for {@code steps} steps and returns the
     * loss of each step (the sum of its terms, each times its weight within the method).
     */
    public List<Double> train(int steps) {
        try (HarnessRun run = run(HarnessRun.SEED)) {
            run.initStage();
            List<Double> losses = new ArrayList<>();
            for (int step = 0; step < steps; step++) {
                losses.add(run.step(step, true));
                run.assertNoGradientOutsideTheStudent(step);
            }
            return losses;
        }
    }

    /**
     * Trains {@code steps} steps (at least 8) and asserts that the mean loss of the last quarter
     * is below the mean of the first quarter, every loss is finite, and neither the teacher nor the
     * distiller's state received a gradient.
     */
    public void assertLossFalls(int steps) {
        if (steps < 8) {
            throw new IllegalArgumentException("assertLossFalls needs at least 8 steps, got " + steps);
        }
        try (HarnessRun run = run(HarnessRun.SEED)) {
            List<Double> init = run.initStage(steps);
            if (!init.isEmpty()) {
                assertFalls("the init stage's loss", init);
            }
            List<Double> losses = new ArrayList<>();
            for (int step = 0; step < steps; step++) {
                losses.add(run.step(step, true));
                run.assertNoGradientOutsideTheStudent(step);
            }
            // AB and FSP distil only in their init stage: their distillation term is zero by definition.
            boolean onlyInitStage = !init.isEmpty() && losses.stream().allMatch(v -> v == 0.0);
            if (!onlyInitStage) {
                assertFalls("the loss", losses);
            }
        }
    }

    private static void assertFalls(String what, List<Double> losses) {
        int steps = losses.size();
        for (int i = 0; i < steps; i++) {
            double v = losses.get(i);
            assertTrue(Double.isFinite(v), what + " of step " + i + " is " + v);
        }
        int quarter = steps / 4;
        double first = mean(losses.subList(0, quarter));
        double last = mean(losses.subList(steps - quarter, steps));
        assertTrue(
                last < first,
                what + " did not fall over " + steps + " steps: mean of the first " + quarter + " steps " + first
                        + ", of the last " + quarter + " " + last + " (all: " + losses + ")");
    }

    /**
     * Asserts that one step's gradients, of the student and of the distiller's modules, are
     * bit-identical whether or not a full garbage collection (with the freed native memory then
     * overwritten) happens between the forward and the backward pass.
     */
    public void assertGcSafe() {
        Map<String, float[]> undisturbed = gradientsOfOneStep(false);
        Map<String, float[]> collected = gradientsOfOneStep(true);
        assertEquals(undisturbed.keySet(), collected.keySet());
        for (String name : undisturbed.keySet()) {
            assertArrayEquals(
                    undisturbed.get(name),
                    collected.get(name),
                    0f,
                    "the gradient of " + name
                            + " changed when the GC ran between forward and backward: is a Java number multiplied,"
                            + " divided, raised to or compared inside the loss? Use dev.hkd.api.Scalars");
        }
    }

    /**
     * Trains a few steps, moves {@code state()} and the modules' parameters through a checkpoint's
     * byte encoding into a fresh instance (prepared with a different seed), and asserts that both
     * then hold the same state and take the same next step bit for bit.
     */
    public void assertStateSurvivesCheckpoint() {
        try (HarnessRun original = run(HarnessRun.SEED);
                HarnessRun restored = run(HarnessRun.SEED + 1)) {
            original.initStage();
            for (int step = 0; step < 3; step++) {
                original.step(step, true);
            }
            Map<String, byte[]> state = encode(original.distiller.state());
            Map<String, byte[]> parameters = encode(original.trainedArrays());

            Map<String, NDArray> decoded = new LinkedHashMap<>();
            state.forEach((k, v) -> decoded.put(k, restored.manager.decode(v)));
            restored.distiller.loadState(decoded);
            Map<String, NDArray> targets = restored.trainedArrays();
            assertEquals(parameters.keySet(), targets.keySet(), "the restored instance has other trainable parameters");
            parameters.forEach((k, v) -> ArrayCopy.into(restored.manager.decode(v), targets.get(k)));

            assertSame("after loading", original.distiller.state(), restored.distiller.state());
            double a = original.step(3, true);
            double b = restored.step(3, true);
            assertEquals(a, b, 0.0, "the restored instance's next loss differs");
            assertSame(
                    "one step after loading (does state() return the live arrays?)",
                    original.distiller.state(),
                    restored.distiller.state());
        }
    }

    private HarnessRun run(long distillerSeed) {
        return new HarnessRun(
                distillers.get(), distillerSeed, batchSize, learningRate, epoch, studentWidth, teacherBatchNorms);
    }

    private Map<String, float[]> gradientsOfOneStep(boolean collectGarbage) {
        try (HarnessRun run = run(HarnessRun.SEED)) {
            run.initStage();
            run.collectGarbageBeforeBackward = collectGarbage;
            run.step(0, false);
            Map<String, float[]> out = new LinkedHashMap<>();
            run.trainedParameters()
                    .forEach((k, p) -> out.put(k, p.getArray().getGradient().toFloatArray()));
            return out;
        }
    }

    private static void assertSame(String when, Map<String, NDArray> expected, Map<String, NDArray> actual) {
        assertEquals(expected.keySet(), actual.keySet(), "state() keys " + when);
        for (String k : expected.keySet()) {
            NDArray e = expected.get(k);
            NDArray a = actual.get(k);
            assertEquals(e.getShape(), a.getShape(), "shape of state '" + k + "' " + when);
            assertTrue(e.contentEquals(a), "state '" + k + "' differs " + when);
        }
    }

    private static Map<String, byte[]> encode(Map<String, NDArray> arrays) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        arrays.forEach((k, v) -> out.put(k, v.encode()));
        return out;
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }
}
