package dev.hkd.experiments.cli;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.hkd.training.models.FeatureNetwork;
import dev.hkd.training.models.ModelZoo;
import dev.hkd.training.train.Engines;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "models",
        description = "List every model: trainable parameters, classes, input and where its architecture comes from.")
final class ModelsCommand implements Runnable {

    @Option(
            names = "--classes",
            description = "count every model for this many classes (default: the class count of the"
                    + " dataset each is built for: 100 for CIFAR, 1000 for ImageNet, 10 for Fashion-MNIST)")
    Integer classes;

    @Override
    public void run() {
        if (classes != null && classes < 1) {
            throw new IllegalArgumentException("--classes must be at least 1, got " + classes);
        }
        String format = "%-20s %12s %8s %-10s %s%n";
        System.out.printf(format, "model", "parameters", "classes", "input", "architecture");
        try (NDManager m = Engines.training().newBaseManager()) {
            for (String name : ModelZoo.names()) {
                int c = classes != null ? classes : ModelZoo.origin(name).classes();
                Shape input = ModelZoo.inputShape(name);
                FeatureNetwork net = ModelZoo.create(name, c);
                net.initialize(m, DataType.FLOAT32, input);
                System.out.printf(
                        format,
                        name,
                        net.trainableParameterCount(),
                        c,
                        input.get(1) + "x" + input.get(2) + "x" + input.get(3),
                        ModelZoo.origin(name).description());
            }
        }
        System.out.println("Ids are case-sensitive: resnet18/34/50 are torchvision's ImageNet ResNets, ResNet50 is"
                + " RepDistiller's CIFAR variant. Every model but MobileNetV1 pools adaptively and runs at other input"
                + " sizes too (e.g. Tiny-ImageNet's 64x64); MobileNetV1 needs 193 to 224 pixels a side.");
    }
}
