package io.inventiv.worker.api;

import io.inventiv.worker.engine.GenerationResult;

/**
 * What one HTTP request did, for its access-log line: its id, and the generation's accounting
 * when there was one. Created by {@link AccessLogFilter}, filled in by the handlers.
 */
public final class RequestLog {
    private final String requestId;
    private volatile GenerationResult result;
    private volatile String fault;

    RequestLog(String requestId) {
        this.requestId = requestId;
    }

    /** The X-Request-Id, the client's or ours. */
    public String requestId() {
        return requestId;
    }

    /** Keeps the accounting of the request's generation; null (client gone, failure) is ignored. */
    void record(GenerationResult finished) {
        if (finished != null) {
            result = finished;
        }
    }

    GenerationResult result() {
        return result;
    }

    /** Notes the fault injected into this request (X-Fault). */
    void fault(String type) {
        fault = type;
    }

    /** The injected fault's type, or null. */
    String fault() {
        return fault;
    }
}
