package dev.hkd.training.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.hkd.api.InitStage;
import dev.hkd.api.NetworkOutput;
import dev.hkd.api.StepBatch;
import dev.hkd.training.config.OptimizerConfig;
import dev.hkd.training.config.ScheduleConfig;
import dev.hkd.training.config.TrainingConfig;
import dev.hkd.training.io.PausePoints;
import dev.hkd.training.models.FeatureNetwork;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Runs a method's {@link InitStage} before distillation: epochs over the training data (the
 * method's views), the teacher frozen, SGD (the run's momentum and weight decay, the stage's
 * learning rate and milestones) on the stage's modules and, when the stage trains the student,
 * on every student parameter but the classifier's (the student then runs on batch statistics).
 * Its random streams are derived from the run's seed, so it gives the same result every time it
 * runs — which is how a run interrupted inside the stage resumes: the run, stage included, starts
 * again from its beginning, and the checkpoint written right after the stage holds its result.
 */
final class InitStageRunner {

    private static final long STAGE = 5;

    private InitStageRunner() {}

    /** Trains what the stage trains on {@code stepper}'s networks and batches, reporting each epoch's mean loss to the listener. */
    static void run(
            InitStage stage,
            TrainingStep stepper,
            TrainingConfig training,
            TrainingListener listener,
            java.nio.file.Path outputDir) {
        FeatureNetwork student = stepper.student();
        TrainingBatches train = stepper.batches();
        NDManager manager = stepper.manager();
        long seed = stepper.seed();
        int batchSize = training.batchSize();
        OptimizerConfig optimizer = training.optimizer();
        Map<String, Parameter> parameters = new LinkedHashMap<>();
        if (stage.trainsStudent()) {
            Set<Parameter> classifier = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
            classifier.addAll(Checkpoint.parameters(student.classifier()).values());
            Checkpoint.parameters(student).forEach((k, p) -> {
                if (p.requiresGradient() && !classifier.contains(p)) {
                    parameters.put(Checkpoint.STUDENT + k, p);
                }
            });
        }
        stage.modules()
                .forEach((name, block) -> Checkpoint.parameters(block).forEach((k, p) -> {
                    if (p.requiresGradient()) {
                        parameters.put(name + "/" + k, p);
                    }
                }));
        Sgd sgd = new Sgd(
                parameters,
                new OptimizerConfig(stage.learningRate(), optimizer.momentum(), optimizer.weightDecay(), false),
                manager);
        ParameterStore store = new ParameterStore(manager, false);
        int steps = (train.size() + batchSize - 1) / batchSize;
        for (int epoch = 0; epoch < stage.epochs(); epoch++) {
            double lr = ScheduleConfig.stepDecay(stage.learningRate(), stage.milestones(), stage.gamma(), epoch);
            int[] order = Seeds.epochOrder(Seeds.derive(seed, STAGE), epoch, train.size());
            double sum = 0;
            for (int step = 0; step < steps; step++) {
                int[] idx = Arrays.copyOfRange(order, step * batchSize, Math.min(order.length, (step + 1) * batchSize));
                PausePoints.reach("init-stage-step", outputDir);
                try (NDScope scope = new NDScope();
                        NDManager m = manager.newSubManager()) {
                    NDArray images = stepper.batchImages(m, idx, Seeds.random(seed, STAGE, Seeds.AUGMENT, epoch, step));
                    NetworkOutput teacher = stepper.teacherForward(images);
                    NDArray loss;
                    try (GradientCollector collector = m.getEngine().newGradientCollector()) {
                        NetworkOutput studentOut = stage.trainsStudent() ? stepper.studentForward(images) : null;
                        loss = stage.loss(
                                studentOut, teacher, new StepBatch(train.labels(m, idx), null, null, epoch), store);
                        collector.backward(loss);
                    }
                    sgd.step(lr);
                    float value = loss.getFloat();
                    if (!Float.isFinite(value)) {
                        throw new TrainingDivergedException(
                                "the init stage's loss became " + value + " at epoch " + (epoch + 1));
                    }
                    sum += value * idx.length;
                    scope.suppressNotUsedWarning();
                }
            }
            listener.onInitStageEpoch(epoch + 1, stage.epochs(), lr, sum / train.size());
        }
    }
}
