package io.inventiv.worker.tools.bench;

import java.util.Map;

/** Latency of one side endpoint (ms, sent → body read) and its answers by status. */
public record ProbeStats(String path, Distribution latencyMs, Map<String, Integer> statuses) {
}
