package dev.hkd.baselines;

import dev.hkd.api.DistillerProvider;
import dev.hkd.testkit.DistillerHarness;
import java.util.Map;
import org.junit.jupiter.api.Named;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every baseline this module registers keeps the contracts the test kit checks for any plugin. */
class BaselinesMeetTheKitTest {

    /** Methods whose weight ramps up over epochs are checked after the ramp (ReviewKD's is 20 epochs). */
    private static final Map<String, Integer> EPOCH = Map.of("reviewkd", 20);

    static Stream<Named<DistillerProvider<?>>> providers() {
        return ServiceLoader.load(DistillerProvider.class).stream()
                .map(p -> (DistillerProvider<?>) p.get())
                .map(p -> Named.of(p.id(), p));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void learnsIsGcSafeAndSurvivesACheckpoint(DistillerProvider<?> provider) {
        DistillerHarness harness = DistillerHarness.of(provider).epoch(EPOCH.getOrDefault(provider.id(), 0));
        harness.assertLossFalls(32);
        harness.assertGcSafe();
        harness.assertStateSurvivesCheckpoint();
    }
}
