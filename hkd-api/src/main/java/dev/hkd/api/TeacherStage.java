package dev.hkd.api;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.Map;

/**
 * Training that a method does on the frozen teacher before the student's training starts, e.g.
 * SSKD's self-supervision head (60 epochs at lr 0.05, decayed ×0.1 at 30 and 45). The framework
 * runs it over the training data with the method's {@link DataNeeds} (rotated views included),
 * the teacher in eval mode and outside gradient recording, and SGD with the run's momentum and
 * weight decay on {@link #modules()} only.
 *
 * <pre>{@code
 * public TeacherStage teacherStage() {
 *     return new TeacherStage() {
 *         public int epochs() { return 60; }
 *         public double learningRate() { return 0.05; }
 *         public List<Integer> milestones() { return List.of(30, 45); }
 *         public Map<String, Block> modules() { return Map.of("teacher_head", head); }
 *         public NDArray loss(NetworkOutput teacher, StepBatch batch, ParameterStore ps) {
 *             return contrastiveLoss(head.forward(ps, teacher.features().get(last)));
 *         }
 *     };
 * }
 * }</pre>
 */
public interface TeacherStage {

    int epochs();

    double learningRate();

    /** Epochs after which the learning rate is multiplied by {@link #gamma()}. */
    List<Integer> milestones();

    default double gamma() {
        return 0.1;
    }

    /** The modules this stage trains, by name. */
    Map<String, Block> modules();

    /**
     * The stage's loss for one batch, from the teacher's outputs (constants). Runs inside gradient
     * recording; {@code parameters} gives the modules' parameter values.
     */
    NDArray loss(NetworkOutput teacher, StepBatch batch, ParameterStore parameters);
}
