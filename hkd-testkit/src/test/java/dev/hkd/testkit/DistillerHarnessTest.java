package dev.hkd.testkit;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import dev.hkd.api.DistillationStep;
import dev.hkd.api.Distiller;
import dev.hkd.api.DistillerSetup;
import dev.hkd.api.LossTerms;
import dev.hkd.api.ModelNeeds;
import dev.hkd.api.Scalars;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** The harness passes distillers that keep the contracts and fails each kind that breaks one. */
class DistillerHarnessTest {

    /** Mean squared error between logits, its constant through {@link Scalars}. */
    static class LogitMse implements Distiller {
        @Override
        public ModelNeeds modelNeeds() {
            return ModelNeeds.LOGITS;
        }

        @Override
        public LossTerms loss(DistillationStep step) {
            NDArray d = step.student().logits().sub(step.teacher().logits());
            return LossTerms.of("mse", Scalars.mul(d.square().mean(), 0.5));
        }
    }

    /** A trained head from the student's pooled vector to the teacher's, and a running mean of the teacher's. */
    static class HeadWithRunningMean implements Distiller {
        Block head;
        NDArray runningMean;
        NDArray pending;

        @Override
        public void prepare(DistillerSetup setup) {
            head = Linear.builder().setUnits(setup.teacherEmbeddingWidth()).build();
            head.initialize(setup.manager(), DataType.FLOAT32, new Shape(1, setup.studentEmbeddingWidth()));
            runningMean = setup.manager().zeros(new Shape(setup.teacherEmbeddingWidth()));
        }

        @Override
        public Map<String, Block> trainableModules() {
            return Map.of("head", head);
        }

        @Override
        public LossTerms loss(DistillationStep step) {
            NDArray projected = head.forward(
                            step.parameters(), new NDList(step.student().penultimate()), true)
                    .singletonOrThrow();
            NDArray target = step.teacher().penultimate();
            pending = target.mean(new int[] {0});
            return LossTerms.of(
                    "fit", projected.sub(target.sub(runningMean)).square().mean());
        }

        @Override
        public void updateState() {
            runningMean.muli(0.5f).addi(pending.mul(0.5f));
        }

        @Override
        public Map<String, NDArray> state() {
            return Map.of("running_mean", runningMean);
        }
    }

    /** Label smoothing as a distiller: it needs no teacher, and is given none. */
    static class TeacherFree implements Distiller {
        @Override
        public ModelNeeds modelNeeds() {
            return ModelNeeds.NONE;
        }

        @Override
        public LossTerms loss(DistillationStep step) {
            if (step.teacher() != null) {
                throw new AssertionError("a distiller that needs no teacher was given one");
            }
            return LossTerms.of(
                    "uniform",
                    Scalars.mul(step.student().logits().logSoftmax(1).mean().neg(), 0.1));
        }
    }

    @Test
    void aDistillerWithoutATeacherIsGivenNoneAndPasses() {
        DistillerHarness harness = DistillerHarness.of(TeacherFree::new);
        harness.assertLossFalls(16);
        harness.assertGcSafe();
        harness.assertStateSurvivesCheckpoint();
    }

    @Test
    void aLogitDistillerThatKeepsTheContractsPasses() {
        DistillerHarness harness = DistillerHarness.of(LogitMse::new);
        harness.assertLossFalls(40);
        harness.assertGcSafe();
        harness.assertStateSurvivesCheckpoint();
    }

    @Test
    void aDistillerWithATrainedHeadAndStatePasses() {
        DistillerHarness harness = DistillerHarness.of(HeadWithRunningMean::new);
        harness.assertLossFalls(40);
        harness.assertGcSafe();
        harness.assertStateSurvivesCheckpoint();
    }

    @Test
    void aJavaNumberInsideTheLossFailsTheGcCheck() {
        Distiller unsafe = new LogitMse() {
            @Override
            public LossTerms loss(DistillationStep step) {
                NDArray d = step.student().logits().sub(step.teacher().logits());
                return LossTerms.of("mse", d.mul(0.5f).square().mean());
            }
        };
        AssertionFailedError e = assertThrows(
                AssertionFailedError.class,
                () -> DistillerHarness.of(() -> unsafe).assertGcSafe());
        assertTrue(e.getMessage().contains("Scalars"), e.getMessage());
    }

    @Test
    void stateThatIsACopyFailsTheCheckpointRoundTrip() {
        DistillerHarness harness = DistillerHarness.of(() -> new HeadWithRunningMean() {
            @Override
            public Map<String, NDArray> state() {
                return Map.of("running_mean", runningMean.duplicate());
            }
        });
        assertThrows(AssertionFailedError.class, harness::assertStateSurvivesCheckpoint);
    }

    @Test
    void aLossThatTeachesNothingFailsToFall() {
        DistillerHarness harness = DistillerHarness.of(() -> new LogitMse() {
            @Override
            public LossTerms loss(DistillationStep step) {
                NDArray s = step.student().logits();
                return LossTerms.of(
                        "none",
                        s.sub(s).sum().add(step.teacher().logits().square().mean()));
            }
        });
        assertThrows(AssertionFailedError.class, () -> harness.assertLossFalls(16));
    }

    @Test
    void aLogitsOnlyDistillerGetsNoTeacherFeatures() {
        DistillerHarness harness = DistillerHarness.of(() -> new LogitMse() {
            @Override
            public LossTerms loss(DistillationStep step) {
                return LossTerms.of(
                        "reads-features", step.teacher().penultimate().sum());
            }
        });
        assertThrows(IndexOutOfBoundsException.class, () -> harness.train(1));
    }
}
