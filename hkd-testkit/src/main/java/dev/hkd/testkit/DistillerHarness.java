package dev.hkd.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.hkd.api.ArrayCopy;
import dev.hkd.api.ContrastMode;
import dev.hkd.api.DataNeeds;
import dev.hkd.api.DistillationStep;
import dev.hkd.api.Distiller;
import dev.hkd.api.DistillerProvider;
import dev.hkd.api.DistillerSetup;
import dev.hkd.api.ModelNeeds;
import dev.hkd.api.NetworkOutput;
import dev.hkd.api.StepBatch;
import dev.hkd.api.TeacherStage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
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
 * output without features, as a logits-only teacher gives it.
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

    private static final int SAMPLES = 64;
    private static final int CLASSES = 5;
    private static final long SEED = 7;

    private final Supplier<Distiller> distillers;
    private int batchSize = 16;
    private double learningRate = 0.05;
    private int epoch;

    private DistillerHarness(Supplier<Distiller> distillers) {
        this.distillers = distillers;
    }

    /** A harness for distillers made by {@code distillers}; each check asks it for fresh instances. */
    public static DistillerHarness of(Supplier<Distiller> distillers) {
        return new DistillerHarness(distillers);
    }

    /** A harness for the provider's distiller with its default options (which must validate). */
    public static <C> DistillerHarness of(DistillerProvider<C> provider) {
        return of(provider, provider.defaultConfig());
    }

    /** A harness for the provider's distiller with {@code options} (which must validate). */
    public static <C> DistillerHarness of(DistillerProvider<C> provider, C options) {
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
        try (Run run = new Run(SEED)) {
            run.teacherStage();
            List<Double> losses = new ArrayList<>();
            for (int step = 0; step < steps; step++) {
                losses.add(run.step(step, true));
                run.assertNoGradientOutsideTheStudent(step);
                run.zeroGradients();
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
        List<Double> losses = train(steps);
        for (int i = 0; i < losses.size(); i++) {
            double v = losses.get(i);
            assertTrue(Double.isFinite(v), "the loss of step " + i + " is " + v);
        }
        int quarter = steps / 4;
        double first = mean(losses.subList(0, quarter));
        double last = mean(losses.subList(steps - quarter, steps));
        assertTrue(last < first, "the loss did not fall over " + steps + " steps: mean of the first " + quarter
                + " steps " + first + ", of the last " + quarter + " " + last + " (all: " + losses + ")");
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
            assertArrayEquals(undisturbed.get(name), collected.get(name), 0f, "the gradient of " + name
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
        try (Run original = new Run(SEED); Run restored = new Run(SEED + 1)) {
            original.teacherStage();
            for (int step = 0; step < 3; step++) {
                original.step(step, true);
                original.zeroGradients();
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
            assertSame("one step after loading (does state() return the live arrays?)",
                    original.distiller.state(), restored.distiller.state());
        }
    }

    private Map<String, float[]> gradientsOfOneStep(boolean collectGarbage) {
        try (Run run = new Run(SEED)) {
            run.teacherStage();
            run.collectGarbageBeforeBackward = collectGarbage;
            run.step(0, false);
            Map<String, float[]> out = new LinkedHashMap<>();
            run.trainedParameters().forEach((k, p) -> out.put(k, p.getArray().getGradient().toFloatArray()));
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

    /** One distiller on one pair of networks and one dataset, seeded. */
    private final class Run implements AutoCloseable {

        final NDManager manager;
        final Distiller distiller;
        final TinyNetwork student;
        final TinyNetwork teacher;
        final ParameterStore store;
        final NDArray images;
        final long[] labels;
        final DataNeeds dataNeeds;
        final ModelNeeds modelNeeds;
        boolean collectGarbageBeforeBackward;

        Run(long distillerSeed) {
            Engine engine = Engine.getEngine("PyTorch");
            manager = engine.newBaseManager();
            engine.setRandomSeed((int) SEED);
            images = manager.randomNormal(new Shape(SAMPLES).addAll(TinyNetwork.INPUT));
            labels = new long[SAMPLES];
            for (int i = 0; i < SAMPLES; i++) {
                labels[i] = i % CLASSES;
            }
            teacher = new TinyNetwork(manager, 8, CLASSES);
            student = new TinyNetwork(manager, 4, CLASSES);
            store = new ParameterStore(manager, false);
            distiller = distillers.get();
            dataNeeds = distiller.dataNeeds();
            modelNeeds = distiller.modelNeeds();
            engine.setRandomSeed((int) distillerSeed);
            distiller.prepare(new DistillerSetup(manager, student.featureShapes(), teacher.featureShapes(), CLASSES, SAMPLES));
        }

        /** A few steps of the distiller's teacher stage, if it has one: its result must reach state(). */
        void teacherStage() {
            TeacherStage stage = distiller.teacherStage();
            if (stage == null) {
                return;
            }
            Map<String, Parameter> parameters = parametersOf(stage.modules());
            for (int step = 0; step < 4; step++) {
                try (NDManager m = manager.newSubManager()) {
                    int[] idx = batch(step);
                    NetworkOutput t = teacherForward(views(m, idx));
                    try (GradientCollector collector = m.getEngine().newGradientCollector()) {
                        collector.backward(stage.loss(t, new StepBatch(m.create(labelsOf(idx)), null, null, epoch), store));
                    }
                    sgd(parameters.values(), stage.learningRate());
                }
            }
        }

        /** One step on batch {@code step}; with {@code update}, SGD and the state update follow. */
        double step(int step, boolean update) {
            try (NDManager m = manager.newSubManager()) {
                int[] idx = batch(step);
                NDArray x = views(m, idx);
                NetworkOutput t = teacherForward(x);
                StepBatch batch = new StepBatch(m.create(labelsOf(idx)), m.create(toLong(idx)), contrast(m, idx, step), epoch);
                double loss;
                try (GradientCollector collector = m.getEngine().newGradientCollector()) {
                    NetworkOutput s = student.forward(store, x, true, modelNeeds.studentPreActivation());
                    NDArray value = distiller.loss(new DistillationStep(s, t, batch, store, true)).sum();
                    if (collectGarbageBeforeBackward) {
                        FreedMemory.collectAndOverwrite();
                    }
                    collector.backward(value);
                    loss = value.toType(DataType.FLOAT64, false).getDouble();
                }
                if (update) {
                    sgd(trainedParameters().values(), learningRate);
                    distiller.updateState();
                }
                return loss;
            }
        }

        NetworkOutput teacherForward(NDArray x) {
            boolean batchStatistics = modelNeeds.teacherBatchNorm() == ModelNeeds.TeacherBatchNorm.TRAIN;
            NetworkOutput out = teacher.forward(store, x, batchStatistics, modelNeeds.teacherPreActivation());
            return modelNeeds.teacherFeatures() ? out : new NetworkOutput(out.logits(), List.of(), List.of());
        }

        /** The batch's images, or SSKD's four rotated views per image (row 4b + r: image b turned r times). */
        NDArray views(NDManager m, int[] idx) {
            NDArray x = images.get(m.create(toLong(idx)));
            x.attach(m);
            if (!dataNeeds.rotatedViews()) {
                return x;
            }
            List<NDArray> turned = new ArrayList<>();
            for (int r = 0; r < 4; r++) {
                turned.add(x.rotate90(r, new int[] {2, 3}));
            }
            return NDArrays.stack(new NDList(turned), 1).reshape(new Shape(4L * idx.length).addAll(TinyNetwork.INPUT));
        }

        /** Contrast indices as {@link ContrastMode} describes them; negatives are of other classes. */
        NDArray contrast(NDManager m, int[] idx, int step) {
            ContrastMode mode = dataNeeds.contrastMode();
            if (mode == ContrastMode.NONE) {
                return null;
            }
            int columns = mode.columns(dataNeeds.negatives());
            SplittableRandom random = new SplittableRandom(SEED * 31 + step);
            long[] out = new long[idx.length * columns];
            for (int b = 0; b < idx.length; b++) {
                int c = 0;
                if (mode == ContrastMode.EXACT) {
                    out[b * columns + c++] = idx[b];
                } else if (mode == ContrastMode.RELAX) {
                    out[b * columns + c++] = (random.nextInt(SAMPLES / CLASSES) * CLASSES + labels[idx[b]]) % SAMPLES;
                }
                for (; c < columns; c++) {
                    long other;
                    do {
                        other = random.nextInt(SAMPLES);
                    } while (labels[(int) other] == labels[idx[b]]);
                    out[b * columns + c] = other;
                }
            }
            return m.create(out, new Shape(idx.length, columns));
        }

        int[] batch(int step) {
            int perEpoch = SAMPLES / batchSize;
            int epoch = step / perEpoch;
            int[] order = permutation(epoch);
            int start = (step % perEpoch) * batchSize;
            int[] idx = new int[batchSize];
            System.arraycopy(order, start, idx, 0, batchSize);
            return idx;
        }

        int[] permutation(int epoch) {
            int[] p = new int[SAMPLES];
            for (int i = 0; i < SAMPLES; i++) {
                p[i] = i;
            }
            SplittableRandom random = new SplittableRandom(SEED * 1_000 + epoch);
            for (int i = SAMPLES - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int tmp = p[i];
                p[i] = p[j];
                p[j] = tmp;
            }
            return p;
        }

        long[] labelsOf(int[] idx) {
            long[] out = new long[idx.length];
            for (int i = 0; i < idx.length; i++) {
                out[i] = labels[idx[i]];
            }
            return out;
        }

        /** The student's and the distiller's trainable parameters, by name. */
        Map<String, Parameter> trainedParameters() {
            Map<String, Parameter> out = new LinkedHashMap<>();
            student.parameters().forEach((k, p) -> out.put("student." + k, p));
            parametersOf(distiller.trainableModules()).forEach((k, p) -> out.put("method." + k, p));
            return out;
        }

        Map<String, NDArray> trainedArrays() {
            Map<String, NDArray> out = new LinkedHashMap<>();
            trainedParameters().forEach((k, p) -> out.put(k, p.getArray()));
            return out;
        }

        void assertNoGradientOutsideTheStudent(int step) {
            teacher.parameters().forEach((k, p) -> assertNoGradient("the teacher's " + k, p.getArray(), step));
            distiller.state().forEach((k, v) -> assertNoGradient("state '" + k + "'", v, step));
        }

        private void assertNoGradient(String what, NDArray array, int step) {
            if (array.hasGradient() && array.getGradient().abs().sum().getFloat() != 0f) {
                fail(what + " received a gradient at step " + step + ": it must not train");
            }
        }

        void zeroGradients() {
            for (Parameter p : trainedParameters().values()) {
                NDArray g = p.getArray().getGradient();
                g.subi(g);
            }
        }

        void sgd(Iterable<Parameter> parameters, double lr) {
            for (Parameter p : parameters) {
                NDArray w = p.getArray();
                NDArray g = w.getGradient();
                w.subi(g.mul(lr));
                g.subi(g);
            }
        }

        @Override
        public void close() {
            manager.close();
        }
    }

    private static Map<String, Parameter> parametersOf(Map<String, Block> modules) {
        Map<String, Parameter> out = new LinkedHashMap<>();
        modules.forEach((name, block) -> {
            for (Pair<String, Parameter> p : block.getParameters()) {
                if (p.getValue().requiresGradient()) {
                    out.put(name + "/" + p.getKey(), p.getValue());
                }
            }
        });
        return out;
    }

    private static long[] toLong(int[] idx) {
        long[] out = new long[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = idx[i];
        }
        return out;
    }
}
