package io.inventiv.worker.api;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;
import io.inventiv.worker.engine.GenerationResult;
import java.lang.System.Logger.Level;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Gives every request an X-Request-Id (the client's, or a new one), echoes it, and writes one
 * structured line when the request ends: method, path, status, milliseconds, tokens and finish
 * reason. Also counts requests in flight, so shutdown can wait for the last bytes to be sent.
 */
public final class AccessLogFilter implements Filter {
    private static final System.Logger LOG = System.getLogger("access");
    private static final HeaderName X_REQUEST_ID = HeaderNames.create("X-Request-Id");
    /** Client ids are echoed into headers and logs: keep them short and printable. */
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._:@/+=-]{1,128}");

    /** Receives each finished request, e.g. for {@code http_requests_total}. */
    @FunctionalInterface
    public interface HttpRecorder {
        void record(String handler, String method, int status);
    }

    private final HttpRecorder recorder;
    private final AtomicInteger inFlight = new AtomicInteger();

    public AccessLogFilter(HttpRecorder recorder) {
        this.recorder = recorder;
    }

    /** The request's log record; every routed request has one. */
    public static RequestLog of(ServerRequest req) {
        return req.context().get(RequestLog.class).orElseGet(() -> new RequestLog(newId()));
    }

    /** HTTP requests that are being served right now. */
    public int inFlight() {
        return inFlight.get();
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        String given = req.headers().first(X_REQUEST_ID).orElse("");
        RequestLog log = new RequestLog(SAFE_ID.matcher(given).matches() ? given : newId());
        req.context().register(log);
        res.header(X_REQUEST_ID, log.requestId());
        long start = System.nanoTime();
        inFlight.incrementAndGet();
        try {
            chain.proceed();
        } finally {
            inFlight.decrementAndGet();
            int status = res.status().code();
            String method = req.prologue().method().text();
            recorder.record(req.matchingPattern().orElse("none"), method, status);
            LOG.log(Level.INFO, line(log, method, req.path().path(), status, (System.nanoTime() - start) / 1_000_000));
        }
    }

    private static String line(RequestLog log, String method, String path, int status, long millis) {
        GenerationResult result = log.result();
        StringBuilder line = new StringBuilder(160).append("request_id=").append(log.requestId())
                .append(" method=").append(method).append(" path=").append(path)
                .append(" status=").append(status).append(" ms=").append(millis);
        if (result != null) {
            line.append(" prompt_tokens=").append(result.promptTokens())
                    .append(" completion_tokens=").append(result.completionTokens())
                    .append(" finish_reason=").append(result.finishReason().wireName());
        }
        if (log.fault() != null) {
            line.append(" fault=").append(log.fault());
        }
        return line.toString();
    }

    /**
     * 32 random hex digits, the shape of vLLM's ids. Not UUID.randomUUID: its SecureRandom (SHA1
     * mixed with /dev/urandom, behind a lock) costs the HTTP threads real CPU, and an id only has to
     * be unique, not unguessable (docs/DECISIONS.md, "Per-token and per-request cuts").
     */
    static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        HexFormat hex = HexFormat.of();
        return hex.toHexDigits(random.nextLong()) + hex.toHexDigits(random.nextLong());
    }
}
