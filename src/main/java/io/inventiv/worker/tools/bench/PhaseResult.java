package io.inventiv.worker.tools.bench;

import java.util.List;

/** The requests of one phase and its wall time, from the first request sent to the last one ended. */
public record PhaseResult(String name, List<StreamResult> results, long wallNanos) {
}
