package dev.hkd.baselines;

import dev.hkd.api.DistillerProvider;
import dev.hkd.testkit.DistillerHarness;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every baseline this module registers keeps the contracts the test kit checks for any plugin. */
class BaselinesMeetTheKitTest {

    /** Methods whose weight ramps up over epochs are checked after the ramp (ReviewKD's is 20 epochs). */
    private static final Map<String, Integer> EPOCH = Map.of("reviewkd", 20);
    /** Methods that need the student's channel counts equal to the teacher's (stage by stage). */
    private static final Set<String> EQUAL_WIDTHS = Set.of("kdsvd", "fsp");
    /** Methods that read the teacher's BatchNorm before each stage's ReLU (OFD's margins). */
    private static final Set<String> TEACHER_BATCH_NORMS = Set.of("ofd");
    /** OFD's term is unweighted here and about 1000 times its weighted size: the kit's 0.05 times its β 0.001. */
    private static final Map<String, Double> LEARNING_RATE = Map.of("ofd", 0.05 * 0.001);

    static Stream<Named<DistillerProvider<?>>> providers() {
        return ServiceLoader.load(DistillerProvider.class).stream()
                .map(p -> (DistillerProvider<?>) p.get())
                .map(p -> Named.of(p.id(), p));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void learnsIsGcSafeAndSurvivesACheckpoint(DistillerProvider<?> provider) {
        DistillerHarness harness = DistillerHarness.of(provider).epoch(EPOCH.getOrDefault(provider.id(), 0));
        if (EQUAL_WIDTHS.contains(provider.id())) {
            harness.studentWidth(8);
        }
        if (LEARNING_RATE.containsKey(provider.id())) {
            harness.learningRate(LEARNING_RATE.get(provider.id()));
        }
        if (TEACHER_BATCH_NORMS.contains(provider.id())) {
            harness.teacherBatchNorms();
        }
        harness.assertLossFalls(32);
        harness.assertGcSafe();
        harness.assertStateSurvivesCheckpoint();
    }
}
