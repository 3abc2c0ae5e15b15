package dev.hkd.baselines.tfkd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.hkd.api.DistillationStep;
import dev.hkd.api.Distiller;
import dev.hkd.api.DistillerProvider;
import dev.hkd.api.ModelNeeds;
import dev.hkd.api.NetworkOutput;
import dev.hkd.api.OptionBounds;
import dev.hkd.api.OptionException;
import dev.hkd.api.StepBatch;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tf-KD's regulariser needs no teacher and weighs as the reference's (1 − α)·CE + α·100·KL with α 0.1. */
class TfKdRegProviderTest {

    private final TfKdRegProvider provider = new TfKdRegProvider();

    @Test
    void itReadsNoTeacherAndComputesItsTermWithoutOne() {
        Distiller d = provider.create(provider.defaultConfig());
        assertSame(ModelNeeds.NONE, d.modelNeeds());
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            NDArray logits = m.randomNormal(new ai.djl.ndarray.types.Shape(4, 5));
            NDArray labels = m.create(new long[] {0, 1, 2, 4});
            var terms = d.loss(new DistillationStep(
                    new NetworkOutput(logits, List.of(), List.of()),
                    null,
                    new StepBatch(labels, null, null, 0),
                    new ParameterStore(m, false),
                    true));
            assertEquals(List.of("tfkd-reg"), List.copyOf(terms.terms().keySet()));
            assertEquals(100.0, terms.weight("tfkd-reg"));
        }
    }

    @Test
    void theReferenceWeightsAreAlpha01AndCe09() {
        assertEquals(new DistillerProvider.WeightsAlone(0.1, 0.9), provider.weightsAlone());
    }

    @Test
    void meaninglessOptionsNameTheirKey() {
        assertEquals(
                "correct_prob",
                assertThrows(OptionException.class, () -> OptionBounds.check(new TfKdRegProvider.Config(20, 1.5, 100)))
                        .key());
        assertEquals(
                "temperature",
                assertThrows(OptionException.class, () -> OptionBounds.check(new TfKdRegProvider.Config(0, 0.99, 100)))
                        .key());
    }
}
