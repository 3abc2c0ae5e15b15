package dev.hkd.training.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.hkd.api.ContrastMode;
import dev.hkd.api.DistillerSetup;
import dev.hkd.api.NetworkOutput;
import dev.hkd.training.config.ConfigException;
import dev.hkd.training.config.OptimizerConfig;
import dev.hkd.training.methods.MethodSet;
import dev.hkd.training.models.FeatureNetwork;
import dev.hkd.training.models.ImageLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How a student, a frozen teacher and a method become one training step — the same for a run
 * ({@link Trainer}), {@code hkd bench} and the trajectory parity check, which differ only in
 * where their data come from.
 *
 * <pre>{@code
 * StepAssembly.prepare(method, root, student, teacher, sampleImages, numClasses, datasetSize);
 * TrainingStep.Parts parts = new TrainingStep.Parts(new Networks(student, teacher), method, batches, seed, contrast);
 * StepAssembly.Assembled a = StepAssembly.assemble(root, parts, optimizer);
 * a.step().run(indices, epoch, step, lr);
 * }</pre>
 */
public final class StepAssembly {

    /** A step and the optimizer it updates with ({@code sgd.state()} goes into checkpoints). */
    public record Assembled(TrainingStep step, Sgd sgd, Map<String, Parameter> trained) {}

    private StepAssembly() {}

    /**
     * Tells the method the networks' per-sample feature shapes, from one eval-mode forward pass on
     * {@code sampleImages}, and lets it build its modules in the student's data type. A teacher that
     * gives another number of logits than the data has classes, or no features to a method that
     * reads them, is a one-line error before training.
     */
    public static DistillerSetup prepare(
            MethodSet method,
            NDManager root,
            FeatureNetwork student,
            FeatureNetwork teacher,
            NDArray sampleImages,
            int numClasses,
            int datasetSize) {
        DataType dataType = student.getParameters().valueAt(0).getArray().getDataType();
        DistillerSetup setup;
        try (NDScope scope = new NDScope();
                NDManager m = root.newSubManager()) {
            ParameterStore ps = new ParameterStore(m, false);
            List<Shape> studentShapes = perSample(student.forward(ps, sampleImages, false, false));
            List<Shape> teacherShapes = List.of();
            if (teacher != null) {
                NetworkOutput t = teacher.forward(ps, sampleImages, false, false);
                if (t.logits().getShape().get(1) != numClasses) {
                    throw new ConfigException("teacher: " + teacher.modelName() + " gives "
                            + t.logits().getShape().get(1) + " logits, the data has " + numClasses + " classes");
                }
                teacherShapes = perSample(t);
                if (method.modelNeeds().teacherFeatures() && teacherShapes.isEmpty()) {
                    throw new ConfigException("teacher: method '" + method.name()
                            + "' needs the teacher's features (at least the" + " pooled vector), but "
                            + teacher.modelName() + " returns none; list them under teacher.saved_model.features");
                }
            }
            scope.suppressNotUsedWarning();
            setup = new DistillerSetup(
                    root,
                    studentShapes,
                    teacherShapes,
                    numClasses,
                    datasetSize,
                    dataType,
                    teacher == null ? List.of() : batchNorms(teacher));
        }
        method.prepare(setup);
        return setup;
    }

    /** SGD over the student's and the method's trainable parameters, and the step that uses it; the frozen teacher runs channels-last. */
    public static Assembled assemble(NDManager root, TrainingStep.Parts parts, OptimizerConfig optimizer) {
        return assemble(root, parts, optimizer, ImageLayout.CHANNELS_LAST);
    }

    /** As above, with the frozen teacher's images in {@code teacherLayout} ({@code hkd bench --teacher-layout} measures both). */
    public static Assembled assemble(
            NDManager root, TrainingStep.Parts parts, OptimizerConfig optimizer, ImageLayout teacherLayout) {
        MethodSet method = parts.method();
        if (method.dataNeeds().contrastMode() != ContrastMode.NONE && parts.contrast() == null) {
            throw new IllegalArgumentException("method '" + method.name() + "' needs contrast indices");
        }
        Map<String, Parameter> trained =
                Trainer.trainedParameters(parts.networks().student(), method.trainableModules());
        Sgd sgd = new Sgd(trained, optimizer, root);
        return new Assembled(new TrainingStep(root, parts, sgd, teacherLayout), sgd, trained);
    }

    /** The teacher's BatchNorm before each stage's ReLU (OFD's margins): its live γ and β. */
    private static List<DistillerSetup.StageBatchNorm> batchNorms(FeatureNetwork teacher) {
        return teacher.batchNormsBeforeActivation().stream()
                .map(bn -> new DistillerSetup.StageBatchNorm(
                        bn.gamma().getArray(), bn.beta().getArray()))
                .toList();
    }

    private static List<Shape> perSample(NetworkOutput output) {
        List<Shape> shapes = new ArrayList<>();
        output.features().forEach(f -> shapes.add(f.getShape().slice(1)));
        return shapes;
    }
}
