package io.inventiv.worker.api;

import io.inventiv.worker.engine.GenerationResult;

/**
 * What one HTTP request did, for its access-log line: its id, and the generation's accounting
 * when there was one. Created by {@link AccessLogFilter}, filled in by the handlers.
 */
public final class RequestLog {
    private final String requestId;
    private volatile GenerationResult result;

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
}
