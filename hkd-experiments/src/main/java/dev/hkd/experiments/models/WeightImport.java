package dev.hkd.experiments.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import dev.hkd.experiments.io.SafeTensors;
import dev.hkd.experiments.io.SafeTensorsException;
import dev.hkd.experiments.models.nn.StateDict;
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

    private WeightImport() {
    }

    public static void load(FeatureNetwork model, Path file, NDManager scratch) {
        Map<String, Parameter> state = StateDict.of(model);
        Map<String, NDArray> tensors = SafeTensors.read(file, scratch).tensors();
        List<String> missing = new ArrayList<>();
        for (String name : state.keySet()) {
            if (!tensors.containsKey(name)) {
                missing.add(name);
            }
        }
        List<String> unexpected = new ArrayList<>();
        for (String name : tensors.keySet()) {
            if (!state.containsKey(name) && !StateDict.isBatchesTracked(state, name)) {
                unexpected.add(name);
            }
        }
        if (!missing.isEmpty()) {
            throw new SafeTensorsException(file + ": no tensor '" + missing.get(0) + "' for " + model.modelName()
                    + more(missing) + (unexpected.isEmpty() ? "" : "; the file has '" + unexpected.get(0) + "'" + more(unexpected)));
        }
        if (!unexpected.isEmpty()) {
            throw new SafeTensorsException(file + ": tensor '" + unexpected.get(0) + "' is not a parameter of "
                    + model.modelName() + more(unexpected));
        }
        for (Map.Entry<String, Parameter> e : state.entrySet()) {
            NDArray value = tensors.get(e.getKey());
            NDArray target = e.getValue().getArray();
            if (!value.getShape().equals(target.getShape())) {
                throw new SafeTensorsException(file + ": tensor '" + e.getKey() + "' has shape " + value.getShape()
                        + ", " + model.modelName() + " needs " + target.getShape());
            }
        }
        for (Map.Entry<String, Parameter> e : state.entrySet()) {
            NDArray target = e.getValue().getArray();
            tensors.get(e.getKey()).toType(target.getDataType(), false).copyTo(target);
        }
    }

    private static String more(List<String> names) {
        return names.size() > 1 ? " (and " + (names.size() - 1) + " more)" : "";
    }
}
