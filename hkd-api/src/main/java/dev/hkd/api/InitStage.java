package dev.hkd.api;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.Map;

/**
 * Training that a method does before the student's distillation starts: SSKD's self-supervision
 * head on the frozen teacher (60 epochs at lr 0.05, decayed ×0.1 at 30 and 45), RepDistiller's
 * {@code init} for FT's paraphraser, and for AB and FSP the student's feature layers themselves
 * (with AB's connectors). The framework runs it over the training data with the method's
 * {@link DataNeeds} and {@link ModelNeeds}, the teacher frozen, and SGD with the run's momentum and
 * weight decay on {@link #modules()} — plus, if {@link #trainsStudent()}, every student parameter
 * but its classifier, the student's BatchNorm on batch statistics.
 *
 * <pre>{@code
 * public InitStage initStage() {
 *     return new InitStage() {
 *         public int epochs() { return 60; }
 *         public double learningRate() { return 0.05; }
 *         public List<Integer> milestones() { return List.of(30, 45); }
 *         public Map<String, Block> modules() { return Map.of("teacher_head", head); }
 *         public NDArray loss(NetworkOutput student, NetworkOutput teacher, StepBatch batch, ParameterStore ps) {
 *             return contrastiveLoss(head.forward(ps, teacher.features().get(last)));
 *         }
 *     };
 * }
 * }</pre>
 */
public interface InitStage {

    int epochs();

    double learningRate();

    /** Epochs after which the learning rate is multiplied by {@link #gamma()}. */
    List<Integer> milestones();

    default double gamma() {
        return 0.1;
    }

    /** The method's modules this stage trains, by name. */
    Map<String, Block> modules();

    /**
     * Whether the stage also trains the student (all but its classifier, as RepDistiller's
     * {@code get_feat_modules()}); then the student's forward pass is part of the stage.
     */
    default boolean trainsStudent() {
        return false;
    }

    /**
     * The stage's loss for one batch. Runs inside gradient recording; {@code student} is the
     * student's output when {@link #trainsStudent()}, else null; {@code teacher}'s outputs are
     * constants; {@code parameters} gives the modules' parameter values.
     */
    NDArray loss(NetworkOutput student, NetworkOutput teacher, StepBatch batch, ParameterStore parameters);
}
