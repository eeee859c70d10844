package io.inventiv.worker.api;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import io.inventiv.worker.config.ErrorKind;
import io.inventiv.worker.config.FaultSettings;
import io.inventiv.worker.config.LatencySettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The test controls a model request meets: injected faults and latency shaping. Whether it fails
 * on purpose: its {@code X-Fault} header is honoured only
 * when {@code ADMIN_API_KEY} is set and the header carries it ({@code key=...}, compared in
 * constant time): a proxy that forwards client headers must not let clients break their own
 * requests. Without one, the start-up {@link FaultSettings} apply (a rate, every Nth request, a
 * model alias). Every fault it hands out is counted and written in the request's access-log line.
 */
public final class TestControls {
    private static final System.Logger LOG = System.getLogger(TestControls.class.getName());
    private static final HeaderName HEADER = HeaderNames.create(InjectedFault.HEADER);
    private static final Pattern KEY = Pattern.compile("(?:^|[;,])\\s*key\\s*=\\s*([^;,]*)");

    private final byte[] adminKey;
    private final FaultSettings initial;
    private volatile FaultSettings settings;
    private final ControlMetrics metrics;
    private final AtomicLong requests = new AtomicLong();

    private final LatencySettings initialLatency;
    private volatile LatencySettings latency;

    /** {@code adminKey} null turns the header off; {@code metrics} hears of faults and shaped pieces. */
    public TestControls(String adminKey, FaultSettings settings, LatencySettings latency, ControlMetrics metrics) {
        this.adminKey = adminKey == null ? null : adminKey.getBytes(StandardCharsets.UTF_8);
        this.initial = settings;
        this.settings = settings;
        this.metrics = metrics;
        this.initialLatency = latency;
        this.latency = latency;
    }

    /** A shaper for a request that arrived at {@code arrivedAtNanos}, or null when shaping is off. */
    LatencyShaper shaper(long arrivedAtNanos, int promptTokens, IntSupplier running) {
        LatencySettings current = latency;
        return current.active() ? new LatencyShaper(current, arrivedAtNanos, promptTokens, running.getAsInt()) : null;
    }

    LatencySettings latency() {
        return latency;
    }

    /** Replaces the latency targets (the admin API); requests already answering keep theirs. */
    void update(LatencySettings changed) {
        latency = changed;
    }

    /**
     * Waits for a piece's turn under latency shaping, counting it when inference was behind, and
     * times it as the client sees it.
     */
    void awaitTurn(LatencyShaper shaper) {
        boolean late = shaper.awaitTurn();
        if (late) {
            metrics.behindTarget();
        }
        if (shaper.updateBehind()) {
            metrics.behindTargetChanged(shaper.isBehind() ? 1 : -1);
        }
        long now = System.nanoTime();
        long previous = shaper.released(now);
        if (previous == 0) {
            metrics.firstPieceDelivered(now - shaper.arrivedAt());
        } else {
            metrics.nextPieceDelivered(now - previous);
        }
    }

    /** A shaped response has ended; {@code finished} when it reached its client whole. */
    void ended(LatencyShaper shaper, boolean finished) {
        if (shaper.isBehind()) {
            metrics.behindTargetChanged(-1);
        }
        if (finished) {
            metrics.shapedResponseEnded(System.nanoTime() - shaper.arrivedAt());
        }
    }

    /** Whether the admin key is set (the header and the admin API are on). */
    boolean adminEnabled() {
        return adminKey != null;
    }

    /** Whether {@code key} is the admin key, compared in constant time. */
    boolean isAdminKey(String key) {
        return adminKey != null && key != null
                && MessageDigest.isEqual(adminKey, key.getBytes(StandardCharsets.UTF_8));
    }

    FaultSettings settings() {
        return settings;
    }

    /** The faults that apply without a header, by their admin API names. */
    Map<String, Object> faultFields() {
        FaultSettings current = settings;
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("error_rate", current.errorRate());
        fields.put("error_statuses", current.errors().stream().map(ErrorKind::json).toList());
        fields.put("every_n", current.everyNth());
        fields.put("model", current.model());
        return fields;
    }

    /** Latency targets by their admin API names. */
    static Map<String, Double> latencyFields(LatencySettings latency) {
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("ttft_ms", latency.ttftMs());
        values.put("ttft_std_ms", latency.ttftStdMs());
        values.put("itl_ms", latency.itlMs());
        values.put("itl_std_ms", latency.itlStdMs());
        values.put("prefill_per_token_ms", latency.prefillPerTokenMs());
        values.put("load_factor", latency.loadFactor());
        return values;
    }

    /** Replaces the faults that apply without a header (the admin API); every Nth counts from now. */
    void update(FaultSettings changed) {
        settings = changed;
        requests.set(0);
    }

    /** Back to the faults set at start. */
    void reset() {
        settings = initial;
        latency = initialLatency;
        requests.set(0);
    }

    /**
     * Applies the fault of a request asking for {@code model} before it is served: an injected
     * error is thrown, a hang waits here. Returns what is left to do, a fault that breaks the
     * response ({@code abort-after}), or null. A malformed header with the right key is a 400.
     */
    InjectedFault admit(ServerRequest req, String model) throws InterruptedException {
        InjectedFault fault = of(req, model);
        if (fault != null && fault.error() != null) {
            throw fault.answer();
        }
        if (fault != null && fault.hang()) {
            Thread.sleep(fault.seconds() * 1000L); // no byte before the hang is over
            return null;
        }
        return fault;
    }

    private InjectedFault of(ServerRequest req, String model) {
        InjectedFault fault = fromHeader(req);
        FaultSettings settings = this.settings;
        if (fault == null && settings.active()) {
            boolean fails = model != null && model.equals(settings.model())
                    || settings.everyNth() > 0 && requests.incrementAndGet() % settings.everyNth() == 0
                    || settings.errorRate() > 0 && ThreadLocalRandom.current().nextDouble() < settings.errorRate();
            if (fails) {
                List<ErrorKind> errors = settings.errors();
                fault = InjectedFault.error(errors.get(ThreadLocalRandom.current().nextInt(errors.size())));
            }
        }
        if (fault != null) {
            metrics.faultInjected(fault.type());
            AccessLogFilter.of(req).fault(fault.type());
        }
        return fault;
    }

    private InjectedFault fromHeader(ServerRequest req) {
        if (adminKey == null || !req.headers().contains(HEADER)) {
            return null;
        }
        String header = req.headers().get(HEADER).get();
        Matcher key = KEY.matcher(header);
        if (!key.find() || !isAdminKey(key.group(1).strip())) {
            LOG.log(System.Logger.Level.WARNING, "ignoring an " + InjectedFault.HEADER + " header without the admin key");
            return null;
        }
        return InjectedFault.parse(header);
    }
}
