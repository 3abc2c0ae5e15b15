package dev.hkd.training.config;

import java.util.List;

/**
 * A frozen teacher exported from Keras/TensorFlow as a SavedModel, run by DJL's TensorFlow engine.
 *
 * @param dir the SavedModel folder (holding saved_model.pb)
 * @param signature the signature to call ({@code serving_default})
 * @param tags the meta-graph tags ({@code serve})
 * @param inputLayout {@code nhwc} (Keras) or {@code nchw}: how the signature wants images
 * @param logits the signature output holding the logits
 * @param features the outputs holding the features, in the order the distiller expects: stage maps
 *     shallow to deep, the pooled {@code [B, D]} vector last
 * @param featureLayout {@code nhwc} (Keras; converted to NCHW) or {@code nchw}
 */
public record SavedModelConfig(
        String dir,
        String signature,
        String tags,
        String inputLayout,
        String logits,
        List<String> features,
        String featureLayout) {

    public SavedModelConfig {
        Check.that(dir != null && !dir.isBlank(), "dir", "is required (the SavedModel folder)");
        signature = signature == null ? "serving_default" : signature;
        tags = tags == null ? "serve" : tags;
        inputLayout = inputLayout == null ? "nhwc" : inputLayout;
        featureLayout = featureLayout == null ? "nhwc" : featureLayout;
        Check.that(logits != null && !logits.isBlank(), "logits", "is required (the name of the logits output)");
        features = features == null ? List.of() : List.copyOf(features);
        Check.that(
                inputLayout.equals("nhwc") || inputLayout.equals("nchw"),
                "input_layout",
                "unknown '" + inputLayout + "'; valid: nhwc, nchw");
        Check.that(
                featureLayout.equals("nhwc") || featureLayout.equals("nchw"),
                "feature_layout",
                "unknown '" + featureLayout + "'; valid: nhwc, nchw");
    }
}
