package io.inventiv.worker.api;

/**
 * What the test controls report to the metrics. Under latency shaping the client sees a piece
 * when it is released, not when it was made: those times go to vLLM's histograms in place of the
 * engine's.
 */
public interface ControlMetrics {
    /** A fault was injected, by type. */
    void faultInjected(String type);

    /** A piece of content came from inference later than its latency target. */
    void behindTarget();

    /** A shaped response fell behind its schedule (+1), or caught up or ended behind it (-1). */
    void behindTargetChanged(int change);

    /** A shaped response released its first piece {@code nanos} after the request arrived. */
    void firstPieceDelivered(long nanos);

    /** A shaped response released a piece {@code gapNanos} after its previous one. */
    void nextPieceDelivered(long gapNanos);

    /** A shaped response ended {@code nanos} after the request arrived. */
    void shapedResponseEnded(long nanos);
}
