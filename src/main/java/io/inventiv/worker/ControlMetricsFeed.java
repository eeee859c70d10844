package io.inventiv.worker;

import io.inventiv.worker.api.ControlMetrics;
import io.inventiv.worker.metrics.VllmMetrics;

/** The test controls' reports (faults, shaped pieces), written into the metrics. */
final class ControlMetricsFeed implements ControlMetrics {
    private final VllmMetrics metrics;

    ControlMetricsFeed(VllmMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void faultInjected(String type) {
        metrics.controls().recordFault(type);
    }

    @Override
    public void behindTarget() {
        metrics.controls().recordBehindLatencyTarget();
    }

    @Override
    public void behindTargetChanged(int change) {
        metrics.controls().behindTargetChanged(change);
    }

    @Override
    public void firstPieceDelivered(long nanos) {
        metrics.firstPieceDelivered(nanos);
    }

    @Override
    public void nextPieceDelivered(long gapNanos) {
        metrics.nextPieceDelivered(gapNanos);
    }

    @Override
    public void shapedResponseEnded(long nanos) {
        metrics.shapedResponseEnded(nanos);
    }
}
