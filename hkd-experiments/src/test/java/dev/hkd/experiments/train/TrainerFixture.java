package dev.hkd.experiments.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.hkd.experiments.config.MethodConfig;
import dev.hkd.experiments.config.OptimizerConfig;
import dev.hkd.experiments.config.ScheduleConfig;
import dev.hkd.experiments.config.TrainingConfig;
import dev.hkd.experiments.data.Augmentation;
import dev.hkd.experiments.data.CropFlip;
import dev.hkd.experiments.data.FashionMnist;
import dev.hkd.experiments.data.ImageSet;
import dev.hkd.experiments.methods.DistillerRegistry;
import dev.hkd.experiments.methods.MethodSet;
import dev.hkd.experiments.models.FeatureNetwork;
import dev.hkd.experiments.models.ModelZoo;
import dev.hkd.experiments.run.Engines;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds small real training runs on the embedded Fashion-MNIST subset for tests. */
final class TrainerFixture {

    static final ImageSet TRAIN = FashionMnist.loadEmbedded(FashionMnist.Split.TRAIN);
    static final ImageSet TEST = FashionMnist.loadEmbedded(FashionMnist.Split.TEST).head(200);

    /** Records every step's losses. */
    static final class StepLog implements TrainingListener {
        final List<Map<String, Double>> steps = new ArrayList<>();

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
    static Trainer trainer(NDManager manager, String method, int samples, long seed, Path out, StepLog log,
                           int checkpointEvery) {
        FeatureNetwork student = network(manager, "fmnist_cnn", seed);
        MethodSet methods = MethodSet.build(new MethodConfig(method, null, null), DistillerRegistry.fromClasspath(), null);
        FeatureNetwork teacher = null;
        if (methods.needsTeacher()) {
            teacher = network(manager, "fmnist_cnn", seed + 100);
            teacher.freezeParameters(true);
        }
        TrainingConfig training = new TrainingConfig(new OptimizerConfig(0.05, 0.9, 5e-4, false),
                new ScheduleConfig(1, List.of(), 0.1), 32);
        Augmentation aug = new CropFlip(2, true);
        return new Trainer(new Trainer.Setup(manager, student, teacher, methods, TRAIN.head(samples), TEST, aug, training,
                100, seed, null, out, checkpointEvery, log));
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

    private TrainerFixture() {
    }
}
