package dev.hkd.graph;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.hkd.api.Scalars;

/**
 * A directed kNN graph over the instances of one batch: {@code neighbours[i]} lists the k nodes
 * that centre i aggregates from, nearest first. Edges run neighbour → centre, so every node has
 * in-degree exactly k.
 *
 * @param neighbours {@code [B, k]} int64
 */
public record KnnGraph(NDArray neighbours) {

    public long nodes() {
        return neighbours.getShape().get(0);
    }

    public int k() {
        return Math.toIntExact(neighbours.getShape().get(1));
    }

    /**
     * The propagation matrix of DGL 0.5.2's TAGConv on this graph, {@code Â = D_in^{-½} A D_in^{-½}}
     * with {@code A[i, j] = 1} for every edge j → i and in-degrees clamped to ≥ 1 (docs/methods.md#hkd).
     * Every in-degree is k here, so {@code Â·x} is the mean over each node's neighbour list.
     */
    public NDArray propagation() {
        return propagation(DataType.FLOAT32);
    }

    /** The same matrix in {@code dataType}, the type of the node features it multiplies. */
    public NDArray propagation(DataType dataType) {
        int b = Math.toIntExact(nodes());
        NDArray adjacency = neighbours.oneHot(b).toType(dataType, false).sum(new int[] {1});
        NDArray inDegree = Scalars.maximum(adjacency.sum(new int[] {1}), 1f);
        NDArray scale = Scalars.pow(inDegree, -0.5f);
        return adjacency.mul(scale.expandDims(1)).mul(scale.expandDims(0));
    }
}
