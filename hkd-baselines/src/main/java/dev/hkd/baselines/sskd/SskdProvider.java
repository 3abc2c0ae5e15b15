package dev.hkd.baselines.sskd;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.hkd.api.AbstractDistillerProvider;
import dev.hkd.api.DataNeeds;
import dev.hkd.api.DistillationStep;
import dev.hkd.api.Distiller;
import dev.hkd.api.DistillerSetup;
import dev.hkd.api.InRange;
import dev.hkd.api.InitStage;
import dev.hkd.api.LossTerms;
import dev.hkd.api.NetworkOutput;
import dev.hkd.api.Positive;
import dev.hkd.api.StepBatch;
import dev.hkd.losses.SskdLoss;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code sskd}: Knowledge Distillation Meets Self-Supervision (ECCV 2020) as its authors' code runs
 * it (docs/methods.md#sskd): four rotated views of every image, a self-supervision head on each network, the
 * teacher's head trained first on the frozen teacher (60 epochs, lr 0.05, ×0.1 at 30 and 45), then
 * {@code 0.1·CE + 0.9·KD + 2.7·KD(rotated views) + 10·imitation of the teacher's [3B, B] cosine
 * similarities}, with rotated rows kept by the teacher's rank of the right answer (ρ_tf, ρ_ss). It
 * contains KD: HKD's "SSKD+KD" row is this method's default run.
 */
public final class SskdProvider extends AbstractDistillerProvider<SskdProvider.Config> {

    /**
     * @param kdWeight λ_kd (0.9)
     * @param tfWeight λ_tf, KD on the rotated views (2.7)
     * @param ssWeight λ_ss, similarity imitation (10)
     * @param kdT temperature of KD on normal views (4)
     * @param tfT temperature of KD on rotated views (4)
     * @param ssT temperature of the similarity imitation (0.5)
     * @param ratioTf ρ_tf, the share of the teacher's wrong rotated rows kept for λ_tf (1.0: all)
     * @param ratioSs ρ_ss, the share of the teacher's wrong similarity rows kept (0.75)
     * @param teacherEpochs epochs of the teacher-head stage (60)
     * @param teacherLr its learning rate (0.05)
     * @param teacherMilestones its decay epochs (30, 45)
     */
    public record Config(
            double kdWeight,
            double tfWeight,
            double ssWeight,
            @Positive double kdT,
            @Positive double tfT,
            @Positive double ssT,
            @InRange(min = 0, max = 1) double ratioTf,
            @InRange(min = 0, max = 1) double ratioSs,
            int teacherEpochs,
            @Positive double teacherLr,
            List<Integer> teacherMilestones) {}

    public SskdProvider() {
        super(
                "sskd",
                "SSKD: KD meets self-supervision, four rotated views and SS heads (ECCV 2020); contains KD",
                new Config(0.9, 2.7, 10.0, 4.0, 4.0, 0.5, 1.0, 0.75, 60, 0.05, List.of(30, 45)),
                1.0);
    }

    /** The cross-entropy at the reference's λ_ce. */
    @Override
    public WeightsAlone weightsAlone() {
        return new WeightsAlone(referenceWeight(), 0.1);
    }

    @Override
    public void validate(Config c) {
        require(
                c.teacherEpochs() >= 1,
                "teacher_epochs",
                "must be >= 1 (the teacher's head is trained first), got " + c.teacherEpochs());
    }

    @Override
    public Distiller create(Config c) {
        return new Sskd(c);
    }

    private static final class Sskd implements Distiller {

        private final Config c;
        private ProjectionHead studentHead;
        private ProjectionHead teacherHead;

        Sskd(Config c) {
            this.c = c;
        }

        @Override
        public DataNeeds dataNeeds() {
            return DataNeeds.NOTHING.withRotatedViews();
        }

        @Override
        public void prepare(DistillerSetup setup) {
            studentHead = new ProjectionHead(setup.manager(), setup.studentEmbeddingWidth(), setup.dataType());
            teacherHead = new ProjectionHead(setup.manager(), setup.teacherEmbeddingWidth(), setup.dataType());
        }

        @Override
        public Map<String, Block> trainableModules() {
            return Map.of("student_head", studentHead.block());
        }

        @Override
        public InitStage initStage() {
            return new InitStage() {
                @Override
                public int epochs() {
                    return c.teacherEpochs();
                }

                @Override
                public double learningRate() {
                    return c.teacherLr();
                }

                @Override
                public List<Integer> milestones() {
                    return c.teacherMilestones();
                }

                @Override
                public Map<String, Block> modules() {
                    return Map.of("teacher_head", teacherHead.block());
                }

                @Override
                public NDArray loss(
                        NetworkOutput student, NetworkOutput teacher, StepBatch batch, ParameterStore parameters) {
                    int images = Math.toIntExact(batch.labels().getShape().get(0));
                    return SskdLoss.teacherPretraining(
                            teacherHead.forward(
                                    parameters, teacher.penultimate().stopGradient(), true),
                            images);
                }
            };
        }

        @Override
        public LossTerms loss(DistillationStep step) {
            NDArray projS =
                    studentHead.forward(step.parameters(), step.student().penultimate(), step.training());
            // The trained teacher head is a constant of the student stage.
            NDArray projT = teacherHead
                    .forward(step.parameters(), step.teacher().penultimate().stopGradient(), false)
                    .stopGradient();
            SskdLoss.Result r = SskdLoss.compute(
                    step.student().logits(),
                    step.teacher().logits(),
                    projS,
                    projT,
                    step.batch().labels(),
                    new SskdLoss.Settings(
                            0,
                            c.kdWeight(),
                            c.tfWeight(),
                            c.ssWeight(),
                            c.kdT(),
                            c.tfT(),
                            c.ssT(),
                            c.ratioTf(),
                            c.ratioSs()));
            return LossTerms.builder()
                    .add("kd", r.kd(), c.kdWeight())
                    .add("tf", r.tf(), c.tfWeight())
                    .add("ss", r.ss(), c.ssWeight())
                    .build();
        }

        /** The teacher head, trained by the teacher stage and carried by checkpoints. */
        @Override
        public Map<String, NDArray> state() {
            Map<String, NDArray> state = new LinkedHashMap<>();
            for (var p : teacherHead.block().getParameters()) {
                Parameter parameter = p.getValue();
                state.put("teacher_head." + p.getKey(), parameter.getArray());
            }
            return state;
        }
    }
}
