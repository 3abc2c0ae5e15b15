package dev.hkd.savedmodel;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import dev.hkd.training.models.TinyCnn;
import dev.hkd.training.models.nn.StateDict;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Writes a {@link TinyCnn} as a TensorFlow SavedModel the way Keras would hold it: NHWC images in,
 * HWIO kernels, signature {@code serving_default} with input {@code images} [N, 28, 28, 1] and
 * outputs {@code logits}, {@code block1}, {@code block2} (NHWC) and {@code pooled}. Weights become
 * graph constants, so the folder needs no variables.
 */
public final class SavedModelExport {

    public static final List<String> FEATURES = List.of("block1", "block2", "pooled");

    private SavedModelExport() {}

    public static void export(TinyCnn model, Path dir) throws IOException {
        // DJL's engine loads the TensorFlow natives from TENSORFLOW_LIBRARY_PATH; the org.tensorflow
        // classes then find them already loaded.
        ai.djl.engine.Engine.getEngine("TensorFlow");
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Placeholder<TFloat32> images =
                    tf.placeholder(TFloat32.class, Placeholder.shape(org.tensorflow.ndarray.Shape.of(-1, 28, 28, 1)));
            List<Long> ones = List.of(1L, 1L, 1L, 1L);
            Map<String, Parameter> state = StateDict.of(model);
            Operand<TFloat32> block1 = tf.nn.relu(tf.nn.biasAdd(
                    tf.nn.conv2d(images, hwio(tf, array(state, "conv1.weight")), ones, "SAME"),
                    vector(tf, array(state, "conv1.bias"))));
            Operand<TFloat32> down = tf.nn.avgPool(block1, List.of(1L, 2L, 2L, 1L), List.of(1L, 2L, 2L, 1L), "VALID");
            Operand<TFloat32> block2 = tf.nn.relu(tf.nn.biasAdd(
                    tf.nn.conv2d(down, hwio(tf, array(state, "conv2.weight")), ones, "SAME"),
                    vector(tf, array(state, "conv2.bias"))));
            Operand<TFloat32> pooled = tf.math.mean(block2, tf.constant(new int[] {1, 2}));
            Operand<TFloat32> logits = tf.math.add(
                    tf.linalg.matMul(
                            pooled, matrix(tf, array(state, "fc.weight").transpose())),
                    vector(tf, array(state, "fc.bias")));
            try (Session session = new Session(g)) {
                Signature signature = Signature.builder()
                        .key("serving_default")
                        .input("images", images)
                        .output("logits", logits)
                        .output("block1", block1)
                        .output("block2", block2)
                        .output("pooled", pooled)
                        .build();
                SavedModelBundle.exporter(dir.toString())
                        .withFunction(SessionFunction.create(signature, session))
                        .export();
            }
        }
    }

    /** A weight under its PyTorch state-dict name, the names the model's weights are imported under too. */
    private static NDArray array(Map<String, Parameter> state, String name) {
        Parameter p = state.get(name);
        if (p == null) {
            throw new IllegalStateException("tiny_cnn has no parameter " + name + "; it has " + state.keySet());
        }
        return p.getArray();
    }

    /** OIHW (PyTorch) to HWIO (TensorFlow). */
    private static Operand<TFloat32> hwio(Ops tf, NDArray oihw) {
        NDArray t = oihw.transpose(2, 3, 1, 0);
        long[] s = t.getShape().getShape();
        float[] v = t.toFloatArray();
        float[][][][] out = new float[(int) s[0]][(int) s[1]][(int) s[2]][(int) s[3]];
        int i = 0;
        for (float[][][] a : out) {
            for (float[][] b : a) {
                for (float[] c : b) {
                    for (int d = 0; d < c.length; d++) {
                        c[d] = v[i++];
                    }
                }
            }
        }
        return tf.constant(out);
    }

    private static Operand<TFloat32> matrix(Ops tf, NDArray m) {
        long[] s = m.getShape().getShape();
        float[] v = m.toFloatArray();
        float[][] out = new float[(int) s[0]][(int) s[1]];
        for (int r = 0; r < out.length; r++) {
            System.arraycopy(v, r * out[r].length, out[r], 0, out[r].length);
        }
        return tf.constant(out);
    }

    private static Operand<TFloat32> vector(Ops tf, NDArray v) {
        return tf.constant(v.toFloatArray());
    }
}
