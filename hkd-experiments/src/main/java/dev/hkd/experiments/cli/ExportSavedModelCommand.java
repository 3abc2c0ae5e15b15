package dev.hkd.experiments.cli;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.hkd.savedmodel.SavedModelExport;
import dev.hkd.training.io.SafeTensors;
import dev.hkd.training.models.ModelZoo;
import dev.hkd.training.models.TinyCnn;
import dev.hkd.training.train.Checkpoint;
import dev.hkd.training.train.Engines;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
        name = "export-savedmodel",
        description =
                "Write a trained tiny_cnn checkpoint as a TensorFlow SavedModel (the example TensorFlow teacher).")
final class ExportSavedModelCommand implements Callable<Integer> {

    @Parameters(
            index = "0",
            paramLabel = "CHECKPOINT",
            description = "last.safetensors or best.safetensors of a tiny_cnn run")
    Path checkpoint;

    @Parameters(index = "1", paramLabel = "DIR", description = "the SavedModel folder to write")
    Path dir;

    @Override
    public Integer call() throws Exception {
        try (NDManager m = Engines.training().newBaseManager()) {
            TinyCnn model = (TinyCnn) ModelZoo.create("tiny_cnn", 10);
            model.initialize(m, DataType.FLOAT32, ModelZoo.inputShape("tiny_cnn"));
            var tensors = SafeTensors.read(checkpoint, m).tensors();
            Checkpoint.loadInto(model, Checkpoint.under(tensors, Checkpoint.STUDENT), checkpoint + " (tiny_cnn)");
            SavedModelExport.export(model, dir);
        }
        System.out.println("Wrote " + dir + " (signature serving_default: images [N, 28, 28, 1] -> logits, "
                + String.join(", ", SavedModelExport.FEATURES) + ")");
        return 0;
    }
}
