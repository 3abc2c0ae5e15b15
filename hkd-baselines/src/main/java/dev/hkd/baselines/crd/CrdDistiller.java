package dev.hkd.baselines.crd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import dev.hkd.api.ArrayCopy;
import dev.hkd.api.ContrastMode;
import dev.hkd.api.DataNeeds;
import dev.hkd.api.DistillationStep;
import dev.hkd.api.Distiller;
import dev.hkd.api.DistillerSetup;
import dev.hkd.api.LossTerms;
import dev.hkd.api.Scalars;
import dev.hkd.losses.contrast.BankScoring;
import dev.hkd.losses.contrast.EmbeddingHead;
import dev.hkd.losses.contrast.MemoryBank;
import dev.hkd.losses.contrast.NceLoss;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CRD as RepDistiller's {@code CRDLoss} (docs/methods.md#crd): each network's embedding is scored
 * against the other network's bank at the sampled indices, {@code P = exp(score/τ)/Z} with
 * {@code Z = N·mean(P)} fixed at the first step, and the NCE loss applied to both. Both banks are
 * then written at the batch's own indices. Term: {@code crd}.
 *
 * <p>The normalisers live in a 2-element state array ({@code −1} until fixed) so that fixing them
 * needs no host round trip and a checkpoint carries them.
 */
public final class CrdDistiller implements Distiller {

    private final CrdConfig config;
    private final BankScoring scoring;
    private Linear embedStudent;
    private Linear embedTeacher;
    private MemoryBank memoryStudent;
    private MemoryBank memoryTeacher;
    /** [Z for student anchors (scored against the teacher bank), Z for teacher anchors]. */
    private NDArray normalizers;

    private boolean normalizersFixed;
    private int datasetSize;

    private NDArray pendingIndices;
    private NDArray pendingStudent;
    private NDArray pendingTeacher;
    private NDArray pendingNormalizers;

    public CrdDistiller(CrdConfig config) {
        this.config = config;
        this.scoring = config.scoring();
    }

    @Override
    public DataNeeds dataNeeds() {
        return new DataNeeds(
                true, config.mode().equals("relax") ? ContrastMode.RELAX : ContrastMode.EXACT, config.nceK());
    }

    @Override
    public void prepare(DistillerSetup setup) {
        embedStudent = EmbeddingHead.create(
                setup.manager(), setup.studentEmbeddingWidth(), config.featDim(), setup.dataType());
        embedTeacher = EmbeddingHead.create(
                setup.manager(), setup.teacherEmbeddingWidth(), config.featDim(), setup.dataType());
        memoryStudent = MemoryBank.uniform(setup.manager(), setup.datasetSize(), config.featDim(), setup.dataType());
        memoryTeacher = MemoryBank.uniform(setup.manager(), setup.datasetSize(), config.featDim(), setup.dataType());
        normalizers = setup.manager().create(new float[] {-1f, -1f}).toType(setup.dataType(), false);
        datasetSize = setup.datasetSize();
    }

    @Override
    public Map<String, Block> trainableModules() {
        Map<String, Block> modules = new LinkedHashMap<>();
        modules.put("embed_s", embedStudent);
        modules.put("embed_t", embedTeacher);
        return modules;
    }

    @Override
    public Map<String, NDArray> state() {
        Map<String, NDArray> state = new LinkedHashMap<>();
        state.put("memory_s", memoryStudent.array());
        state.put("memory_t", memoryTeacher.array());
        state.put("normalizers", normalizers);
        return state;
    }

    @Override
    public void loadState(Map<String, NDArray> saved) {
        Distiller.super.loadState(saved);
        normalizersFixed = normalizers.get(0).toType(DataType.FLOAT64, false).getDouble() > 0;
    }

    /** The fixed normalisers {@code [Z_s, Z_t]}, or −1 before the first step. */
    public NDArray normalizers() {
        return normalizers;
    }

    @Override
    public LossTerms loss(DistillationStep step) {
        NDArray idx = step.batch().sampleIndices();
        NDArray contrast = step.batch().contrastIndices();
        if (idx == null || contrast == null) {
            throw new IllegalStateException(
                    "crd needs sample indices and contrast indices (sampler mode exact or relax)");
        }
        ParameterStore ps = step.parameters();
        NDArray v1 = EmbeddingHead.embed(embedStudent, ps, step.student().penultimate(), step.training());
        NDArray v2 = EmbeddingHead.embed(
                embedTeacher, ps, step.teacher().penultimate().stopGradient(), step.training());
        float tau = (float) config.nceT();
        NDArray p1 =
                Scalars.div(memoryTeacher.scores(v1, contrast, scoring), tau).exp();
        NDArray p2 =
                Scalars.div(memoryStudent.scores(v2, contrast, scoring), tau).exp();
        NDArray z;
        if (normalizersFixed) {
            z = normalizers;
        } else {
            z = Scalars.mul(
                    p1.stopGradient()
                            .mean()
                            .expandDims(0)
                            .concat(p2.stopGradient().mean().expandDims(0)),
                    datasetSize);
            pendingNormalizers = z;
        }
        NDArray loss = NceLoss.of(p1.div(z.get(0)), datasetSize).add(NceLoss.of(p2.div(z.get(1)), datasetSize));
        pendingIndices = idx;
        pendingStudent = v1.stopGradient();
        pendingTeacher = v2.stopGradient();
        return LossTerms.of("crd", loss);
    }

    @Override
    public void updateState() {
        if (pendingIndices == null) {
            return;
        }
        float m = (float) config.nceM();
        memoryStudent.update(pendingIndices, pendingStudent, m);
        memoryTeacher.update(pendingIndices, pendingTeacher, m);
        if (pendingNormalizers != null) {
            ArrayCopy.into(pendingNormalizers, normalizers);
            normalizersFixed = true;
            pendingNormalizers = null;
        }
        pendingIndices = null;
        pendingStudent = null;
        pendingTeacher = null;
    }
}
