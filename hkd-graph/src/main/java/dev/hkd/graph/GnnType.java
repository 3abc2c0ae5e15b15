package dev.hkd.graph;

/** The graph layer of HKD's encoders. */
public enum GnnType {
    /** DGL 0.5.2 TAGConv: {@code W·[x, Âx, …, Â^hops x] + b} (the reference, hops = 1). */
    TAG,
    /** A GCN layer on the same propagation matrix: {@code W·(Âx) + b} (no separate self term). */
    GCN;

    public static GnnType parse(String name) {
        for (GnnType t : values()) {
            if (t.name().equalsIgnoreCase(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("gnn: unknown '" + name + "'; valid: tag, gcn");
    }
}
