package dev.hkd.training.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import dev.hkd.api.ArrayCopy;
import dev.hkd.training.io.SafeTensors;
import dev.hkd.training.io.SafeTensorsException;
import dev.hkd.training.models.nn.StateDict;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Loads a PyTorch state dict saved as safetensors (RepDistiller's or mdistiller's parameter names,
 * BatchNorm running statistics included) into a zoo model. Half-precision files are widened to
 * float32. A missing, unexpected or mis-shaped tensor is a one-line error naming it.
 */
public final class WeightImport {

    private WeightImport() {}

    public static void load(FeatureNetwork model, Path file, NDManager scratch) {
        load(model, SafeTensors.read(file, scratch).tensors(), file.toString());
    }

    /**
     * Loads a state dict held in memory; {@code source} names it in errors. A BatchNorm's
     * {@code num_batches_tracked} may be absent (it stays as it is).
     */
    public static void load(FeatureNetwork model, Map<String, NDArray> tensors, String source) {
        Map<String, Parameter> state = StateDict.of(model);
        List<String> missing = new ArrayList<>();
        for (String name : state.keySet()) {
            if (!tensors.containsKey(name) && !StateDict.isBatchesTracked(state, name)) {
                missing.add(name);
            }
        }
        List<String> unexpected = new ArrayList<>();
        for (String name : tensors.keySet()) {
            if (!state.containsKey(name)) {
                unexpected.add(name);
            }
        }
        if (!missing.isEmpty()) {
            throw new SafeTensorsException(source + ": no tensor '" + missing.get(0) + "' for " + model.modelName()
                    + more(missing)
                    + (unexpected.isEmpty() ? "" : "; the file has '" + unexpected.get(0) + "'" + more(unexpected)));
        }
        if (!unexpected.isEmpty()) {
            throw new SafeTensorsException(source + ": tensor '" + unexpected.get(0) + "' is not a parameter of "
                    + model.modelName() + more(unexpected));
        }
        for (Map.Entry<String, Parameter> e : state.entrySet()) {
            NDArray value = tensors.get(e.getKey());
            if (value == null) {
                continue;
            }
            NDArray target = e.getValue().getArray();
            // PyTorch stores the counter as a 0-d scalar.
            boolean counter = StateDict.isBatchesTracked(state, e.getKey()) && value.size() == 1;
            SafeTensors.requireSameKind(source, e.getKey(), value, target.getDataType());
            if (!counter && !value.getShape().equals(target.getShape())) {
                throw new SafeTensorsException(source + ": tensor '" + e.getKey() + "' has shape " + value.getShape()
                        + ", " + model.modelName() + " needs " + target.getShape());
            }
        }
        for (Map.Entry<String, Parameter> e : state.entrySet()) {
            NDArray value = tensors.get(e.getKey());
            if (value != null) {
                NDArray target = e.getValue().getArray();
                ArrayCopy.into(value.toType(target.getDataType(), false).reshape(target.getShape()), target);
            }
        }
    }

    private static String more(List<String> names) {
        return names.size() > 1 ? " (and " + (names.size() - 1) + " more)" : "";
    }
}
