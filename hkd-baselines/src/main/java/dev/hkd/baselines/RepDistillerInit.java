package dev.hkd.baselines;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.hkd.api.InitStage;
import dev.hkd.api.NetworkOutput;
import dev.hkd.api.StepBatch;
import java.util.List;
import java.util.Map;

/**
 * RepDistiller's {@code init} ({@code helper/pretrain.py}) as an {@link InitStage}: {@code epochs}
 * epochs at a constant learning rate (no milestones), SGD with the run's momentum and weight decay
 * on the given modules and, for AB and FSP, the student's feature layers.
 */
public final class RepDistillerInit implements InitStage {

    /** The stage's loss for one batch. */
    @FunctionalInterface
    public interface Loss {
        NDArray compute(NetworkOutput student, NetworkOutput teacher, ParameterStore parameters);
    }

    private final int epochs;
    private final double learningRate;
    private final Map<String, Block> modules;
    private final boolean trainsStudent;
    private final Loss loss;

    public RepDistillerInit(
            int epochs, double learningRate, Map<String, Block> modules, boolean trainsStudent, Loss loss) {
        this.epochs = epochs;
        this.learningRate = learningRate;
        this.modules = modules;
        this.trainsStudent = trainsStudent;
        this.loss = loss;
    }

    @Override
    public int epochs() {
        return epochs;
    }

    @Override
    public double learningRate() {
        return learningRate;
    }

    @Override
    public List<Integer> milestones() {
        return List.of();
    }

    @Override
    public Map<String, Block> modules() {
        return modules;
    }

    @Override
    public boolean trainsStudent() {
        return trainsStudent;
    }

    @Override
    public NDArray loss(NetworkOutput student, NetworkOutput teacher, StepBatch batch, ParameterStore parameters) {
        return loss.compute(student, teacher, parameters);
    }
}
