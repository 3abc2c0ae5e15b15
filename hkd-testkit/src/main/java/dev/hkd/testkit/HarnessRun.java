package dev.hkd.testkit;

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
import dev.hkd.api.ContrastMode;
import dev.hkd.api.DataNeeds;
import dev.hkd.api.DistillationStep;
import dev.hkd.api.Distiller;
import dev.hkd.api.DistillerSetup;
import dev.hkd.api.InitStage;
import dev.hkd.api.ModelNeeds;
import dev.hkd.api.NetworkOutput;
import dev.hkd.api.StepBatch;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One distiller on a pair of {@link TinyNetwork}s and 64 random images, seeded, stepped the way
 * the framework steps it: what {@link DistillerHarness}'s checks run and compare.
 */
final class HarnessRun implements AutoCloseable {

    static final int SAMPLES = 64;
    static final int CLASSES = 5;
    static final long SEED = 7;

    private final int batchSize;
    private final double learningRate;
    private final int epoch;

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

    HarnessRun(
            Distiller distiller,
            long distillerSeed,
            int batchSize,
            double learningRate,
            int epoch,
            int studentWidth,
            boolean teacherBatchNorms) {
        this.batchSize = batchSize;
        this.learningRate = learningRate;
        this.epoch = epoch;
        Engine engine = Engine.getEngine("PyTorch");
        manager = engine.newBaseManager();
        engine.setRandomSeed((int) SEED);
        images = manager.randomNormal(new Shape(SAMPLES).addAll(TinyNetwork.INPUT));
        labels = new long[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
            labels[i] = i % CLASSES;
        }
        teacher = new TinyNetwork(manager, 8, CLASSES);
        student = new TinyNetwork(manager, studentWidth, CLASSES);
        store = new ParameterStore(manager, false);
        this.distiller = distiller;
        dataNeeds = distiller.dataNeeds();
        modelNeeds = distiller.modelNeeds();
        engine.setRandomSeed((int) distillerSeed);
        distiller.prepare(new DistillerSetup(
                manager,
                student.featureShapes(),
                teacher.featureShapes(),
                CLASSES,
                SAMPLES,
                DataType.FLOAT32,
                teacherBatchNorms ? stageBatchNorms(teacher.featureShapes()) : List.of()));
    }

    /** A seeded BatchNorm (γ around 1 with both signs present, β around 0) per teacher stage, {@code features[1:-1]}. */
    private List<DistillerSetup.StageBatchNorm> stageBatchNorms(List<Shape> teacherShapes) {
        SplittableRandom random = new SplittableRandom(SEED * 17);
        List<DistillerSetup.StageBatchNorm> out = new ArrayList<>();
        for (Shape shape : teacherShapes.subList(1, teacherShapes.size() - 1)) {
            int c = (int) shape.get(0);
            float[] gamma = new float[c];
            float[] beta = new float[c];
            for (int i = 0; i < c; i++) {
                gamma[i] = (float) ((random.nextBoolean() ? 1 : -1) * (0.5 + random.nextDouble()));
                beta[i] = (float) (random.nextDouble() - 0.5);
            }
            out.add(new DistillerSetup.StageBatchNorm(manager.create(gamma), manager.create(beta)));
        }
        return out;
    }

    /**
     * {@code steps} steps of the distiller's init stage, if it has one (its result must reach
     * state(), or the student and the trainable modules); the loss of each step, empty without a stage.
     */
    List<Double> initStage(int steps) {
        InitStage stage = distiller.initStage();
        List<Double> losses = new ArrayList<>();
        if (stage == null) {
            return losses;
        }
        Map<String, Parameter> parameters = parametersOf(stage.modules());
        if (stage.trainsStudent()) {
            student.parameters().forEach((k, p) -> {
                if (!k.startsWith("classifier.")) {
                    parameters.put("student." + k, p);
                }
            });
        }
        for (int step = 0; step < steps; step++) {
            try (NDManager m = manager.newSubManager()) {
                int[] idx = batch(step);
                NDArray x = views(m, idx);
                NetworkOutput t = teacherForward(x);
                try (GradientCollector collector = m.getEngine().newGradientCollector()) {
                    NetworkOutput s = stage.trainsStudent()
                            ? student.forward(store, x, true, modelNeeds.studentPreActivation())
                            : null;
                    NDArray loss = stage.loss(s, t, new StepBatch(m.create(labelsOf(idx)), null, null, epoch), store);
                    collector.backward(loss);
                    losses.add(loss.toType(DataType.FLOAT64, false).getDouble());
                }
                sgd(parameters.values(), stage.learningRate());
            }
        }
        return losses;
    }

    /** A few steps of the init stage, as every check runs it before distilling. */
    void initStage() {
        initStage(4);
    }

    /** One step on batch {@code step}; with {@code update}, SGD and the state update follow. */
    double step(int step, boolean update) {
        try (NDManager m = manager.newSubManager()) {
            int[] idx = batch(step);
            NDArray x = views(m, idx);
            NetworkOutput t = teacherForward(x);
            StepBatch batch =
                    new StepBatch(m.create(labelsOf(idx)), m.create(toLong(idx)), contrast(m, idx, step), epoch);
            double loss;
            try (GradientCollector collector = m.getEngine().newGradientCollector()) {
                NetworkOutput s = student.forward(store, x, true, modelNeeds.studentPreActivation());
                NDArray value = distiller
                        .loss(new DistillationStep(s, t, batch, store, true))
                        .sum();
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

    /** The teacher's output as the framework gives it: null to a distiller that needs no teacher. */
    NetworkOutput teacherForward(NDArray x) {
        if (!modelNeeds.teacher()) {
            return null;
        }
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

    void sgd(Iterable<Parameter> parameters, double lr) {
        PlainSgd.step(parameters, lr);
    }

    @Override
    public void close() {
        manager.close();
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
