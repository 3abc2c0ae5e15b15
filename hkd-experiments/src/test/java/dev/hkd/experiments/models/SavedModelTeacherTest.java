package dev.hkd.experiments.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import dev.hkd.api.NetworkOutput;
import dev.hkd.runner.run.RunOptions;
import dev.hkd.runner.run.TrainingRun;
import dev.hkd.savedmodel.SavedModelExport;
import dev.hkd.savedmodel.SavedModelTeacher;
import dev.hkd.training.config.ConfigException;
import dev.hkd.training.config.ConfigLoader;
import dev.hkd.training.config.SavedModelConfig;
import dev.hkd.training.data.Augmentation;
import dev.hkd.training.data.FashionMnist;
import dev.hkd.training.data.ImageSet;
import dev.hkd.training.models.ModelZoo;
import dev.hkd.training.models.TinyCnn;
import dev.hkd.training.train.Accuracy;
import dev.hkd.training.train.Engines;
import dev.hkd.training.train.EpochRecord;
import dev.hkd.training.train.MetricsLog;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A TensorFlow SavedModel teacher computes what the same weights compute on PyTorch, and teaches. */
class SavedModelTeacherTest {

    @TempDir
    static Path dir;

    static Path savedModel;
    static double pytorchTop1;

    @BeforeAll
    static void exportARandomTinyCnn() throws Exception {
        savedModel = dir.resolve("tiny");
        try (NDManager m = Engines.training().newBaseManager()) {
            Engines.seed(4);
            TinyCnn model = (TinyCnn) ModelZoo.create("tiny_cnn", 10);
            model.initialize(m, DataType.FLOAT32, ModelZoo.inputShape("tiny_cnn"));
            SavedModelExport.export(model, savedModel);
            pytorchTop1 = Accuracy.evaluate(model, FashionMnist.loadEmbedded(FashionMnist.Split.TEST), 500, m)
                    .top1();
            try (SavedModelTeacher teacher = new SavedModelTeacher(config("serving_default", "logits"))) {
                ImageSet test = FashionMnist.loadEmbedded(FashionMnist.Split.TEST);
                NDArray images = test.images(m, new int[] {0, 1, 2, 3}, Augmentation.NONE, null);
                NetworkOutput pt = model.forward(new ParameterStore(m, false), images, false, false);
                NetworkOutput tf = teacher.forward(null, images, false, false);
                assertClose(pt.logits(), tf.logits(), "logits");
                for (int i = 0; i < 3; i++) {
                    assertClose(pt.features().get(i), tf.features().get(i), SavedModelExport.FEATURES.get(i));
                }
                assertEquals("PyTorch", tf.logits().getManager().getEngine().getEngineName());
            }
        }
    }

    static SavedModelConfig config(String signature, String logits) {
        return new SavedModelConfig(
                savedModel.toString(), signature, null, "nhwc", logits, SavedModelExport.FEATURES, "nhwc");
    }

    private static void assertClose(NDArray expected, NDArray actual, String what) {
        assertEquals(expected.getShape(), actual.getShape(), what + " shape (NHWC maps come back as NCHW)");
        double scale = expected.abs().max().getFloat();
        double err = expected.sub(actual).abs().max().getFloat();
        assertTrue(err <= 1e-4 * scale, what + ": max error " + err + " of scale " + scale);
    }

    @Test
    void outputsEqualTheSameWeightsOnPyTorch() {
        // Checked in the set-up above for logits and every feature; the accuracy agrees too.
        assertTrue(pytorchTop1 >= 0);
    }

    @Test
    void missingFolderUnknownSignatureAndUnknownOutputAreOneLineErrors() {
        ConfigException folder = assertThrows(
                ConfigException.class,
                () -> new SavedModelTeacher(new SavedModelConfig(
                        dir.resolve("nowhere").toString(), null, null, null, "logits", null, null)));
        assertTrue(
                folder.getMessage().contains("nowhere") && folder.getMessage().contains("saved_model.pb"),
                folder.getMessage());
        ConfigException signature =
                assertThrows(ConfigException.class, () -> new SavedModelTeacher(config("predict", "logits")));
        assertTrue(signature.getMessage().contains("'predict'"), signature.getMessage());
        ConfigException output =
                assertThrows(ConfigException.class, () -> new SavedModelTeacher(config("serving_default", "scores")));
        assertTrue(
                output.getMessage().contains("no output 'scores'")
                        && output.getMessage().contains("logits"),
                output.getMessage());
        for (ConfigException e : List.of(folder, signature, output)) {
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void distilsAStudentWithKdAndWithHkd() throws Exception {
        for (String method : new String[] {"kd", "hkd+kd"}) {
            Path yaml = dir.resolve(method + ".yaml");
            Files.writeString(yaml, """
                    seed: 3
                    data: {dataset: fashion-mnist-subset, train_limit: 256}
                    teacher:
                      saved_model: {dir: %s, logits: logits, features: [block1, block2, pooled], input_layout: nhwc, feature_layout: nhwc}
                    student: {model: fmnist_cnn}
                    method: {name: %s, options: {hkd: {nce_k: 64, feat_dim: 32}}}
                    training: {schedule: {epochs: 2, milestones: []}, batch_size: 32}
                    output: %s
                    """.formatted(savedModel, method, dir.resolve("run-" + method)).replace(
                    ", options: {hkd: {nce_k: 64, feat_dim: 32}}",
                    method.contains("hkd") ? ", options: {hkd: {nce_k: 64, feat_dim: 32}}" : ""));
            TrainingRun.Outcome o = TrainingRun.execute(
                    ConfigLoader.loadRun(yaml),
                    yaml,
                    RunOptions.defaults(new PrintStream(OutputStream.nullOutputStream()))
                            .withCacheDir(dir.resolve("cache")));
            assertEquals(
                    pytorchTop1,
                    o.teacher().get("top1"),
                    1e-9,
                    "the TensorFlow teacher's accuracy equals its PyTorch twin's");
            List<EpochRecord> epochs =
                    new MetricsLog(dir.resolve("run-" + method).resolve("metrics.jsonl")).read();
            assertEquals(2, epochs.size());
            assertTrue(
                    epochs.get(1).trainLoss().get("loss")
                            < epochs.get(0).trainLoss().get("loss"),
                    method + ": " + epochs);
            assertTrue(
                    epochs.get(0).trainLoss().containsKey("kd"),
                    epochs.get(0).trainLoss().toString());
        }
    }

    @Test
    void aTeacherWithoutFeaturesServesTheLogitMethods() throws Exception {
        for (String method : new String[] {"kd", "dkd", "dist"}) {
            Path yaml = dir.resolve("logits-" + method + ".yaml");
            Files.writeString(yaml, """
                    data: {dataset: fashion-mnist-subset, train_limit: 64}
                    teacher:
                      saved_model: {dir: %s, logits: logits}
                    student: {model: fmnist_cnn}
                    method: {name: %s}
                    training: {schedule: {epochs: 1, milestones: []}, batch_size: 32}
                    output: %s
                    """.formatted(savedModel, method, dir.resolve("run-logits-" + method)));
            TrainingRun.Outcome outcome = TrainingRun.execute(
                    ConfigLoader.loadRun(yaml),
                    yaml,
                    RunOptions.defaults(new PrintStream(OutputStream.nullOutputStream()))
                            .withCacheDir(dir.resolve("cache")));
            assertTrue(Double.isFinite(outcome.lastTop1()), method);
        }
    }

    @Test
    void aTeacherWithoutFeaturesCannotServeHkd() throws Exception {
        Path yaml = Files.writeString(dir.resolve("nofeat.yaml"), """
                data: {dataset: fashion-mnist-subset, train_limit: 64}
                teacher:
                  saved_model: {dir: %s, logits: logits}
                student: {model: fmnist_cnn}
                method: {name: hkd, options: {hkd: {nce_k: 16}}}
                training: {schedule: {epochs: 1, milestones: []}, batch_size: 32}
                output: %s
                """.formatted(savedModel, dir.resolve("run-nofeat")));
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> TrainingRun.execute(
                        ConfigLoader.loadRun(yaml),
                        yaml,
                        RunOptions.defaults(new PrintStream(OutputStream.nullOutputStream()))
                                .withCacheDir(dir.resolve("cache"))));
        assertTrue(e.getMessage().contains("needs the teacher's features"), e.getMessage());
    }
}
