package dev.hkd.training.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.hkd.training.config.MethodConfig;
import dev.hkd.training.config.OptimizerConfig;
import dev.hkd.training.config.ScheduleConfig;
import dev.hkd.training.config.TrainingConfig;
import dev.hkd.training.data.Augmentation;
import dev.hkd.training.data.CropFlip;
import dev.hkd.training.data.FashionMnist;
import dev.hkd.training.data.ImageSet;
import dev.hkd.training.data.RunData;
import dev.hkd.training.io.RunFolder;
import dev.hkd.training.methods.DistillerRegistry;
import dev.hkd.training.methods.MethodSet;
import dev.hkd.training.models.FeatureNetwork;
import dev.hkd.training.models.ModelZoo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds small real training runs on the embedded Fashion-MNIST subset for tests. */
final class TrainerFixture {

    static final ImageSet TRAIN = FashionMnist.loadEmbedded(FashionMnist.Split.TRAIN);
    static final ImageSet TEST =
            FashionMnist.loadEmbedded(FashionMnist.Split.TEST).head(200);

    /** Records every step's losses. */
    static final class StepLog implements TrainingListener {
        final List<Map<String, Double>> steps = new ArrayList<>();
        final List<Double> initStage = new ArrayList<>();

        @Override
        public void onInitStageEpoch(int epoch, int epochs, double learningRate, double loss) {
            initStage.add(loss);
        }

        @Override
        public void onStep(int epoch, int step, Map<String, Double> losses) {
            steps.add(losses);
        }

        List<Double> series(String key) {
            return steps.stream().map(s -> s.get(key)).toList();
        }
    }

    static FeatureNetwork network(NDManager manager, String model, long seed) {
        Engines.seed(seed);
        FeatureNetwork net = ModelZoo.create(model, 10);
        net.initialize(manager, DataType.FLOAT32, new ai.djl.ndarray.types.Shape(1, 1, 28, 28));
        return net;
    }

    /**
     * A trainer over the first {@code samples} training images, one epoch, batch 32, crop-flip
     * augmentation; a KD method gets a randomly initialised teacher (fine for checking the mechanics).
     */
    static Trainer trainer(
            NDManager manager, String method, int samples, long seed, Path out, StepLog log, int checkpointEvery) {
        return trainer(manager, new MethodConfig(method, null, null), samples, seed, out, log, checkpointEvery);
    }

    /** HKD with few negatives (the fixture's data set is small). */
    static MethodConfig hkd(String name) {
        var options = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                .objectNode()
                .put("nce_k", 256)
                .put("feat_dim", 32);
        return new MethodConfig(name, null, Map.of("hkd", options));
    }

    /** A method with options, e.g. {@code method("crd", "crd", Map.of("nce_k", 256))}. */
    static MethodConfig method(String name, String id, Map<String, Object> options) {
        var node = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        options.forEach((k, v) -> node.set(k, new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(v)));
        return new MethodConfig(name, null, Map.of(id, node));
    }

    static Trainer trainer(
            NDManager manager,
            MethodConfig method,
            int samples,
            long seed,
            Path out,
            StepLog log,
            int checkpointEvery) {
        return trainer(manager, method, samples, seed, out, log, checkpointEvery, "fmnist_resnet");
    }

    /** As above with another teacher model (e.g. {@code fmnist_cnn}, for methods that need equal channel counts). */
    static Trainer trainer(
            NDManager manager,
            MethodConfig method,
            int samples,
            long seed,
            Path out,
            StepLog log,
            int checkpointEvery,
            String teacherModel) {
        FeatureNetwork student = network(manager, "fmnist_cnn", seed);
        MethodSet methods = MethodSet.build(method, DistillerRegistry.fromClasspath(), null);
        FeatureNetwork teacher = null;
        if (methods.needsTeacher()) {
            teacher = network(manager, teacherModel, seed + 100);
            teacher.freeze();
        }
        TrainingConfig training = new TrainingConfig(
                new OptimizerConfig(0.05, 0.9, 5e-4, false), new ScheduleConfig(1, List.of(), 0.1), 32);
        Augmentation aug = new CropFlip(2, true);
        ImageSet train = TRAIN.head(samples);
        Engines.seed(seed + 200);
        methods.prepare(new dev.hkd.api.DistillerSetup(
                manager,
                shapes(manager, student),
                teacher == null ? List.of() : shapes(manager, teacher),
                10,
                train.size()));
        return new Trainer(new Trainer.Setup(
                manager,
                new Networks(student, teacher),
                methods,
                ContrastSampler.forMethod(methods.dataNeeds(), train.labels(), 10),
                new RunData(train, TEST, aug),
                new Trainer.Recipe(training, seed, 100, checkpointEvery),
                new Trainer.Output(new RunFolder(out), log)));
    }

    private static List<ai.djl.ndarray.types.Shape> shapes(NDManager manager, FeatureNetwork net) {
        try (NDManager m = manager.newSubManager()) {
            var out = net.forward(
                    new ai.djl.training.ParameterStore(m, false),
                    m.zeros(new ai.djl.ndarray.types.Shape(2, 1, 28, 28)),
                    false,
                    false);
            return out.features().stream().map(f -> f.getShape().slice(1)).toList();
        }
    }

    /** Every student parameter, copied to the host. */
    static Map<String, float[]> studentParameters(Trainer trainer, FeatureNetwork student) {
        Map<String, float[]> out = new LinkedHashMap<>();
        Checkpoint.parameters(student).forEach((k, p) -> {
            NDArray a = p.getArray();
            out.put(k, a.toFloatArray());
        });
        return out;
    }

    private TrainerFixture() {}
}
