package io.inventiv.worker.api;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.inventiv.worker.config.ServerConfig;
import io.inventiv.worker.engine.Engine;
import io.inventiv.worker.engine.SlotStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The status page and playground at {@code /} (one static file, {@code web/status.html}) and the
 * JSON it polls at {@code /status}: phase, slots, queue, running totals and the test controls.
 * Open like /metrics: it shows no key and no request content.
 */
public final class StatusService implements HttpService {
    private static final String PAGE = "/web/status.html";

    private final ServerState state;
    private final ServerConfig config;
    private final Map<String, Object> version;
    private final TestControls controls;
    private final Supplier<Map<String, Object>> liveFigures;
    private final byte[] page;

    /** {@code liveFigures}: running totals from the metrics (tokens, latency sums, faults injected). */
    public StatusService(ServerState state, ServerConfig config, Map<String, Object> version, TestControls controls,
            Supplier<Map<String, Object>> liveFigures) {
        this.state = state;
        this.config = config;
        this.version = version;
        this.controls = controls;
        this.liveFigures = liveFigures;
        this.page = readPage();
    }

    private static byte[] readPage() {
        try (InputStream in = StatusService.class.getResourceAsStream(PAGE)) {
            if (in == null) {
                throw new IllegalStateException(PAGE + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::page)
                .get("/status", this::status);
    }

    private void page(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.CONTENT_TYPE, "text/html; charset=utf-8");
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.send(page);
    }

    private void status(ServerRequest req, ServerResponse res) {
        ServerState.Phase phase = state.phase();
        Engine engine = state.engineIfServing();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", config.primaryModelName());
        body.put("served_model_names", config.servedModelNames());
        body.put("version", version);
        body.put("phase", phase.name().toLowerCase(Locale.ROOT));
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("parallel", config.parallel());
        settings.put("max_model_len", config.maxModelLen());
        settings.put("max_queue", config.maxQueue());
        settings.put("deterministic", engine == null ? config.deterministic() : engine.deterministic());
        settings.put("api_key_required", config.apiKey() != null && !config.apiKey().isEmpty());
        body.put("config", settings);
        body.put("queue", Map.of("running", engine == null ? 0 : engine.running(),
                "waiting", engine == null ? 0 : engine.waiting()));
        body.put("slots", slots(engine));
        body.putAll(liveFigures.get());
        body.put("faults", controls.faultFields());
        body.put("latency_targets", TestControls.latencyFields(controls.latency()));
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.send(Json.write(body));
    }

    private List<Map<String, Object>> slots(Engine engine) {
        List<SlotStatus> now = engine == null ? List.of() : engine.slots();
        List<Map<String, Object>> slots = new ArrayList<>();
        for (int i = 0; i < config.parallel(); i++) {
            SlotStatus slot = i < now.size() ? now.get(i) : new SlotStatus(i, SlotStatus.State.FREE, null, 0, 0);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("index", slot.index());
            row.put("state", slot.state().name().toLowerCase(Locale.ROOT));
            row.put("request_id", slot.requestId());
            row.put("prompt_tokens", slot.promptTokens());
            row.put("completion_tokens", slot.completionTokens());
            slots.add(row);
        }
        return slots;
    }
}
