package dev.hkd.savedmodel;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.SymbolBlock;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.hkd.api.NetworkOutput;
import dev.hkd.training.config.ConfigException;
import dev.hkd.training.config.SavedModelConfig;
import dev.hkd.training.models.FeatureNetwork;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A frozen teacher exported from Keras/TensorFlow, run by DJL's TensorFlow engine (which cannot
 * train — a teacher never does). Images cross into TensorFlow and the named outputs come back into
 * the student's engine as constants; NHWC maps become NCHW. Crossing engines is a host copy, the
 * price of running the teacher where it was built.
 */
public final class SavedModelTeacher extends FeatureNetwork implements AutoCloseable {

    private final SavedModelConfig config;
    private final ZooModel<NDList, NDList> model;
    private final Block block;
    private final int logitsIndex;
    private final int[] featureIndices;

    public SavedModelTeacher(SavedModelConfig config) {
        this.config = config;
        Path dir = Path.of(config.dir());
        if (!Files.isRegularFile(dir.resolve("saved_model.pb"))) {
            throw new ConfigException(
                    "teacher.saved_model.dir: " + dir + " is not a SavedModel folder (no saved_model.pb)");
        }
        requireSignature(dir, config);
        try {
            model = Criteria.builder()
                    .setTypes(NDList.class, NDList.class)
                    .optModelPath(dir)
                    .optEngine("TensorFlow")
                    .optOption("SignatureDefKey", config.signature())
                    .optOption("Tags", config.tags())
                    .build()
                    .loadModel();
        } catch (Exception e) {
            throw new ConfigException("teacher.saved_model: cannot load " + dir + " with signature '"
                    + config.signature() + "' and tags '" + config.tags() + "' (" + firstLine(e) + ")");
        }
        block = model.getBlock();
        PairList<String, ai.djl.ndarray.types.Shape> outputs = ((SymbolBlock) block).describeOutput();
        List<String> names = outputs.keys();
        if (names.isEmpty()) {
            model.close();
            throw new ConfigException(
                    "teacher.saved_model.signature: '" + config.signature() + "' not found in " + dir);
        }
        logitsIndex = index(names, config.logits(), "logits");
        featureIndices = new int[config.features().size()];
        for (int i = 0; i < featureIndices.length; i++) {
            featureIndices[i] = index(names, config.features().get(i), "features[" + i + "]");
        }
    }

    /** DJL falls back silently when a signature is missing; check the SavedModel's own list first. */
    private static void requireSignature(Path dir, SavedModelConfig config) {
        org.tensorflow.proto.SavedModel saved;
        try {
            saved = org.tensorflow.proto.SavedModel.parseFrom(Files.readAllBytes(dir.resolve("saved_model.pb")));
        } catch (java.io.IOException e) {
            throw new ConfigException("teacher.saved_model.dir: cannot read " + dir.resolve("saved_model.pb") + " ("
                    + e.getMessage() + ")");
        }
        List<String> wantedTags = List.of(config.tags().split(","));
        java.util.Set<String> signatures = new java.util.TreeSet<>();
        boolean tagsFound = false;
        for (org.tensorflow.proto.MetaGraphDef graph : saved.getMetaGraphsList()) {
            if (graph.getMetaInfoDef().getTagsList().containsAll(wantedTags)) {
                tagsFound = true;
                signatures.addAll(graph.getSignatureDefMap().keySet());
            }
        }
        if (!tagsFound) {
            throw new ConfigException(
                    "teacher.saved_model.tags: no meta graph tagged '" + config.tags() + "' in " + dir);
        }
        if (!signatures.contains(config.signature())) {
            throw new ConfigException("teacher.saved_model.signature: no signature '" + config.signature() + "' in "
                    + dir + "; it has: " + String.join(", ", signatures));
        }
    }

    private int index(List<String> names, String wanted, String key) {
        int i = names.indexOf(wanted);
        if (i < 0) {
            model.close();
            throw new ConfigException("teacher.saved_model." + key + ": no output '" + wanted + "' in signature '"
                    + config.signature() + "'; its outputs: " + String.join(", ", names));
        }
        return i;
    }

    private static String firstLine(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.lines().findFirst().orElse(m);
    }

    @Override
    public String modelName() {
        return "saved_model:" + Path.of(config.dir()).getFileName();
    }

    @Override
    public NetworkOutput forward(ParameterStore ignored, NDArray images, boolean training, boolean preActivation) {
        NDManager target = images.getManager();
        try (NDManager tf = Engine.getEngine("TensorFlow").newBaseManager()) {
            NDArray in = config.inputLayout().equals("nhwc") ? images.transpose(0, 2, 3, 1) : images;
            NDList out = block.forward(new ParameterStore(tf, false), new NDList(tf.from(in)), false);
            NDArray logits = target.from(out.get(logitsIndex));
            List<NDArray> features = new ArrayList<>();
            for (int i = 0; i < featureIndices.length; i++) {
                NDArray f = target.from(out.get(featureIndices[i]));
                if (f.getShape().dimension() == 4 && config.featureLayout().equals("nhwc")) {
                    f = f.transpose(0, 3, 1, 2);
                }
                features.add(f);
            }
            if (!features.isEmpty()
                    && features.get(features.size() - 1).getShape().dimension() != 2) {
                throw new ConfigException(
                        "teacher.saved_model.features: the last must be the pooled [batch, width] vector, '"
                                + config.features().get(features.size() - 1) + "' has shape "
                                + features.get(features.size() - 1).getShape());
            }
            return new NetworkOutput(logits, features, preActivation ? features : List.of());
        }
    }

    @Override
    public void close() {
        model.close();
    }
}
