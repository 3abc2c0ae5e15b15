package org.example.kd;

import dev.hkd.api.Distiller;
import dev.hkd.testkit.DistillerHarness;
import dev.hkd.testkit.LossCase;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The plugin computes what its PyTorch reference computes and keeps every contract of a distiller. */
class LogitMatchingTest {

    @Test
    void matchesItsPyTorchReference() {
        LossCase c = LossCase.read(Path.of("src/test/resources/logit-matching.json"));
        Distiller distiller = new LogitMatchingProvider().create(new LogitMatchingProvider.Config(c.flag("centre")));
        c.assertMatches(in -> distiller
                .loss(LossCase.stepFromLogits(in.get("logits_s"), in.get("logits_t"), null))
                .sum());
    }

    @Test
    void learnsIsGcSafeAndSurvivesACheckpoint() {
        DistillerHarness harness = DistillerHarness.of(new LogitMatchingProvider());
        harness.assertLossFalls(40);
        harness.assertGcSafe();
        harness.assertStateSurvivesCheckpoint();
    }
}
