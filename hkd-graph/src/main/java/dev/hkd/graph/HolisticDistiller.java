package dev.hkd.graph;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import dev.hkd.api.ContrastMode;
import dev.hkd.api.DataNeeds;
import dev.hkd.api.DistillationStep;
import dev.hkd.api.Distiller;
import dev.hkd.api.DistillerSetup;
import dev.hkd.api.LossTerms;
import dev.hkd.api.Scalars;
import dev.hkd.losses.contrast.BankScoring;
import dev.hkd.losses.contrast.ContrastiveCrossEntropy;
import dev.hkd.losses.contrast.EmbeddingHead;
import dev.hkd.losses.contrast.L2Normalize;
import dev.hkd.losses.contrast.MemoryBank;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * HKD as the reference's {@code GNNLoss} computes it (docs/methods.md#hkd): individual contrast of
 * each network's embedding against the other's memory row, graph contrast of its GNN embedding
 * against a smoothed positive, both with memory-bank negatives; the banks are then written with
 * the pre-GNN embeddings. Terms: {@code ind} (L_ind) and {@code graph} (L_graph, absent when the
 * batch is smaller than k, in which case memory is not written either — D8).
 *
 * <p>Scores against negatives come from one product with each whole bank or from the gathered
 * sampled rows, whichever {@code bank_scoring} says ({@link BankScoring}; the same numbers).
 */
public final class HolisticDistiller implements Distiller {

    private final HkdConfig config;
    private final BankScoring scoring;
    // The string options, read once here rather than compared on every step.
    private final boolean crossNegatives;
    private final boolean graphOfFeatures;
    private final KnnGraphBuilder graphs;
    private Linear embedStudent;
    private Linear embedTeacher;
    private GraphEncoder gnnStudent;
    private GraphEncoder gnnTeacher;
    private MemoryBank memoryStudent;
    private MemoryBank memoryTeacher;

    // Set by loss(), consumed by updateState(): the write that must wait until after backward.
    private NDArray pendingIndices;
    private NDArray pendingStudent;
    private NDArray pendingTeacher;
    private KnnGraph lastStudentGraph;
    private KnnGraph lastTeacherGraph;

    public HolisticDistiller(HkdConfig config) {
        config.validate();
        this.config = config;
        this.scoring = config.scoring();
        this.crossNegatives = config.negatives().equals("cross");
        this.graphOfFeatures = config.graphSource().equals("features");
        this.graphs = new KnnGraphBuilder(config.knn());
    }

    public HkdConfig config() {
        return config;
    }

    @Override
    public DataNeeds dataNeeds() {
        return new DataNeeds(true, ContrastMode.HKD, config.nceK());
    }

    @Override
    public void prepare(DistillerSetup setup) {
        int d = config.featDim();
        embedStudent = EmbeddingHead.create(setup.manager(), setup.studentEmbeddingWidth(), d, setup.dataType());
        embedTeacher = EmbeddingHead.create(setup.manager(), setup.teacherEmbeddingWidth(), d, setup.dataType());
        GnnType type = GnnType.parse(config.gnn());
        gnnStudent = new GraphEncoder(type, config.hops(), d, d);
        gnnTeacher = new GraphEncoder(type, config.hops(), d, d);
        gnnStudent.initialize(setup.manager(), setup.dataType(), new Shape(1, d), new Shape(1, 1));
        gnnTeacher.initialize(setup.manager(), setup.dataType(), new Shape(1, d), new Shape(1, 1));
        memoryStudent = MemoryBank.uniform(setup.manager(), setup.datasetSize(), d, setup.dataType());
        memoryTeacher = MemoryBank.uniform(setup.manager(), setup.datasetSize(), d, setup.dataType());
    }

    @Override
    public Map<String, Block> trainableModules() {
        Map<String, Block> modules = new LinkedHashMap<>();
        modules.put("embed_s", embedStudent);
        modules.put("embed_t", embedTeacher);
        modules.put("gnn_s", gnnStudent);
        modules.put("gnn_t", gnnTeacher);
        return modules;
    }

    @Override
    public Map<String, NDArray> state() {
        Map<String, NDArray> state = new LinkedHashMap<>();
        state.put("memory_s", memoryStudent.array());
        state.put("memory_t", memoryTeacher.array());
        return state;
    }

    @Override
    public LossTerms loss(DistillationStep step) {
        ParameterStore ps = step.parameters();
        NDArray idx = step.batch().sampleIndices();
        NDArray negatives = step.batch().contrastIndices();
        if (idx == null || negatives == null) {
            throw new IllegalStateException("hkd needs sample indices and contrast indices (sampler mode hkd)");
        }
        float tau = (float) config.temperature();
        MemoryBank negativesForStudent = crossNegatives ? memoryTeacher : memoryStudent;
        MemoryBank negativesForTeacher = crossNegatives ? memoryStudent : memoryTeacher;

        NDArray zs = EmbeddingHead.embed(embedStudent, ps, step.student().penultimate(), step.training());
        NDArray zt = EmbeddingHead.embed(
                embedTeacher, ps, step.teacher().penultimate().stopGradient(), step.training());
        NDArray ps0 = memoryStudent.rows(idx);
        NDArray pt0 = memoryTeacher.rows(idx);

        boolean withGraph = step.batch().size() >= config.knn();
        // Gathered, each bank scores both of its anchors (the embedding and its graph embedding)
        // in one pass over one gather. The whole-bank products are recorded one by one, in the
        // order this distiller has always recorded them (L_ind complete before the graph):
        // autograd sums a tensor's gradient contributions in recording order, so keeping that
        // order keeps the results bit for bit.
        BankScoring how = negativesForStudent.choose(scoring, negatives, withGraph ? 2 : 1);
        boolean together = withGraph && how == BankScoring.GATHERED;
        NDArray individual = together
                ? null
                : ContrastiveCrossEntropy.of(rowDot(pt0, zs), negativesForStudent.scores(zs, negatives, how), tau)
                        .add(ContrastiveCrossEntropy.of(
                                rowDot(ps0, zt), negativesForTeacher.scores(zt, negatives, how), tau));
        if (!withGraph) {
            lastStudentGraph = null;
            lastTeacherGraph = null;
            clearPending();
            return LossTerms.of("ind", individual);
        }
        KnnGraph studentGraph = graph(step.student().logits(), step.student().penultimate());
        KnnGraph teacherGraph = graph(step.teacher().logits(), step.teacher().penultimate());
        NDArray gs = gnnStudent
                .forward(ps, new NDList(zs, studentGraph.propagation(zs.getDataType())), step.training())
                .head();
        NDArray gt = gnnTeacher
                .forward(ps, new NDList(zt, teacherGraph.propagation(zt.getDataType())), step.training())
                .head();
        float keep = (float) config.smoothMomentum();
        NDArray qs = L2Normalize.rows(Scalars.mul(ps0, keep).add(Scalars.mul(gs.stopGradient(), 1f - keep)));
        NDArray qt = L2Normalize.rows(Scalars.mul(pt0, keep).add(Scalars.mul(gt.stopGradient(), 1f - keep)));
        NDArray graph;
        if (together) {
            NDList s = negativesForStudent.scores(new NDList(zs, gs), negatives, how);
            NDList t = negativesForTeacher.scores(new NDList(zt, gt), negatives, how);
            individual = ContrastiveCrossEntropy.of(rowDot(pt0, zs), s.get(0), tau)
                    .add(ContrastiveCrossEntropy.of(rowDot(ps0, zt), t.get(0), tau));
            graph = ContrastiveCrossEntropy.of(rowDot(qt, gs), s.get(1), tau)
                    .add(ContrastiveCrossEntropy.of(rowDot(qs, gt), t.get(1), tau));
        } else {
            graph = ContrastiveCrossEntropy.of(rowDot(qt, gs), negativesForStudent.scores(gs, negatives, how), tau)
                    .add(ContrastiveCrossEntropy.of(
                            rowDot(qs, gt), negativesForTeacher.scores(gt, negatives, how), tau));
        }

        lastStudentGraph = studentGraph;
        lastTeacherGraph = teacherGraph;
        pendingIndices = idx;
        pendingStudent = zs.stopGradient();
        pendingTeacher = zt.stopGradient();
        return LossTerms.of("ind", individual, "graph", graph);
    }

    private KnnGraph graph(NDArray logits, NDArray features) {
        return graphOfFeatures ? graphs.fromRows(features) : graphs.fromLogits(logits);
    }

    private static NDArray rowDot(NDArray a, NDArray b) {
        return a.mul(b).sum(new int[] {1});
    }

    @Override
    public void updateState() {
        if (pendingIndices == null) {
            return;
        }
        float m = (float) config.memoryMomentum();
        memoryStudent.update(pendingIndices, pendingStudent, m);
        memoryTeacher.update(pendingIndices, pendingTeacher, m);
        clearPending();
    }

    private void clearPending() {
        pendingIndices = null;
        pendingStudent = null;
        pendingTeacher = null;
    }

    /** The graphs of the last step, or null when it was too small for a graph (for parity checks). */
    public KnnGraph lastStudentGraph() {
        return lastStudentGraph;
    }

    public KnnGraph lastTeacherGraph() {
        return lastTeacherGraph;
    }
}
