package dev.hkd.baselines.feature;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import dev.hkd.api.AbstractDistillerProvider;
import dev.hkd.api.DistillationStep;
import dev.hkd.api.Distiller;
import dev.hkd.api.DistillerSetup;
import dev.hkd.api.LossTerms;
import dev.hkd.api.Positive;
import dev.hkd.baselines.PyTorchInit;
import dev.hkd.losses.CcLoss;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code cc}: correlation congruence of linear embeddings (no normalisation, both trained) of the
 * penultimate vectors, β = 0.02 (RepDistiller).
 */
public final class CcProvider extends AbstractDistillerProvider<CcProvider.Config> {

    /** @param featDim embedding size (128) */
    public record Config(@Positive int featDim) {}

    public CcProvider() {
        super(
                "cc",
                "CC: correlation congruence of linear embeddings of penultimate features (ICCV 2019)",
                new Config(128),
                0.02);
    }

    @Override
    public Distiller create(Config c) {
        return new Distiller() {
            private Linear embedStudent;
            private Linear embedTeacher;

            @Override
            public void prepare(DistillerSetup setup) {
                embedStudent = head(setup, setup.studentEmbeddingWidth());
                embedTeacher = head(setup, setup.teacherEmbeddingWidth());
            }

            private Linear head(DistillerSetup setup, long in) {
                Linear l = PyTorchInit.defaults(
                        Linear.builder().setUnits(c.featDim()).build(), in);
                l.initialize(setup.manager(), setup.dataType(), new Shape(1, in));
                return l;
            }

            @Override
            public Map<String, Block> trainableModules() {
                Map<String, Block> m = new LinkedHashMap<>();
                m.put("embed_s", embedStudent);
                m.put("embed_t", embedTeacher);
                return m;
            }

            @Override
            public LossTerms loss(DistillationStep step) {
                NDArray s = embedStudent
                        .forward(step.parameters(), new NDList(step.student().penultimate()), step.training())
                        .head();
                NDArray t = embedTeacher
                        .forward(
                                step.parameters(),
                                new NDList(step.teacher().penultimate().stopGradient()),
                                step.training())
                        .head();
                return LossTerms.of("cc", CcLoss.compute(s, t));
            }
        };
    }
}
