package dev.hkd.experiments.cli;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.hkd.training.models.FeatureNetwork;
import dev.hkd.training.models.ModelZoo;
import dev.hkd.training.train.Engines;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "models", mixinStandardHelpOptions = true, description = "List every model with its trainable parameter count.")
final class ModelsCommand implements Runnable {

    @Option(names = "--classes", defaultValue = "100", description = "number of classes (default ${DEFAULT-VALUE}, as the reference counts)")
    int classes;

    @Override
    public void run() {
        try (NDManager m = Engines.training().newBaseManager()) {
            for (String name : ModelZoo.names()) {
                FeatureNetwork net = ModelZoo.create(name, classes);
                net.initialize(m, DataType.FLOAT32, ModelZoo.inputShape(name));
                System.out.println(name + " " + net.trainableParameterCount());
            }
        }
    }
}
