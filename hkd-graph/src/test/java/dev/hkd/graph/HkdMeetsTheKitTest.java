package dev.hkd.graph;

import dev.hkd.testkit.DistillerHarness;
import org.junit.jupiter.api.Test;

/** HKD keeps the contracts the test kit checks for any plugin: it learns, is GC-safe, and its memory banks survive a checkpoint. */
class HkdMeetsTheKitTest {

    @Test
    void learnsIsGcSafeAndSurvivesACheckpoint() {
        DistillerHarness harness = DistillerHarness.of(new HkdProvider());
        harness.assertLossFalls(32);
        harness.assertGcSafe();
        harness.assertStateSurvivesCheckpoint();
    }
}
