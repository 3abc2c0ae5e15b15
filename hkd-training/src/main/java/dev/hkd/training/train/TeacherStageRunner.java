package dev.hkd.training.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.hkd.api.NetworkOutput;
import dev.hkd.api.StepBatch;
import dev.hkd.api.TeacherStage;
import dev.hkd.training.config.OptimizerConfig;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs a method's {@link TeacherStage} before the student trains: epochs over the training data
 * (the method's views), the teacher frozen in eval mode, SGD (the run's momentum and weight decay,
 * the stage's learning rate and milestones) on the stage's modules only. Its random streams are
 * derived from the run's seed, so it gives the same modules every time it runs — which is how a
 * run interrupted inside the stage resumes: the stage is run again from its start.
 */
final class TeacherStageRunner {

    private static final long STAGE = 5;

    private TeacherStageRunner() {
    }

    /** Trains the stage's modules, reporting each epoch's mean loss to the listener. */
    static void run(TeacherStage stage, TrainingStep stepper, TrainingBatches train, int batchSize, long seed,
                            OptimizerConfig optimizer, NDManager manager, TrainingListener listener) {
        Map<String, Parameter> parameters = new LinkedHashMap<>();
        stage.modules().forEach((name, block) -> Checkpoint.parameters(block).forEach((k, p) -> {
            if (p.requiresGradient()) {
                parameters.put(name + "/" + k, p);
            }
        }));
        Sgd sgd = new Sgd(parameters, new OptimizerConfig(stage.learningRate(), optimizer.momentum(), optimizer.weightDecay(), false), manager);
        ParameterStore store = new ParameterStore(manager, false);
        int steps = (train.size() + batchSize - 1) / batchSize;
        for (int epoch = 0; epoch < stage.epochs(); epoch++) {
            final int e = epoch;
            double lr = stage.learningRate() * Math.pow(stage.gamma(), stage.milestones().stream().filter(m -> e + 1 > m).count());
            int[] order = Seeds.epochOrder(Seeds.derive(seed, STAGE), epoch, train.size());
            double sum = 0;
            for (int step = 0; step < steps; step++) {
                int[] idx = Arrays.copyOfRange(order, step * batchSize, Math.min(order.length, (step + 1) * batchSize));
                try (NDScope scope = new NDScope(); NDManager m = manager.newSubManager()) {
                    NDArray images = stepper.batchImages(m, idx, Seeds.random(seed, STAGE, Seeds.AUGMENT, epoch, step));
                    NetworkOutput teacher = stepper.teacherForward(images);
                    NDArray loss;
                    try (GradientCollector collector = m.getEngine().newGradientCollector()) {
                        loss = stage.loss(teacher, new StepBatch(train.labels(m, idx), null, null, epoch), store);
                        collector.backward(loss);
                    }
                    sgd.step(lr);
                    float value = loss.getFloat();
                    if (!Float.isFinite(value)) {
                        throw new TrainingDivergedException("the teacher stage's loss became " + value + " at epoch " + (epoch + 1));
                    }
                    sum += value * idx.length;
                    scope.suppressNotUsedWarning();
                }
            }
            listener.onTeacherStageEpoch(epoch + 1, stage.epochs(), lr, sum / train.size());
        }
    }
}
