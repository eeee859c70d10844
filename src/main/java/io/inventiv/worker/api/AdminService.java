package io.inventiv.worker.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.inventiv.worker.api.protocol.RequestFields;
import io.inventiv.worker.config.ErrorKind;
import io.inventiv.worker.config.FaultSettings;
import io.inventiv.worker.config.LatencySettings;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The admin API: {@code GET} and {@code PUT /admin/config} (faults, latency targets,
 * deterministic mode), {@code POST /admin/reset}. Off (404)
 * unless {@code ADMIN_API_KEY} is set; every call needs {@code Authorization: Bearer <admin key>}.
 * A {@code PUT} is checked whole before anything is applied: a bad field is a 400 naming it.
 */
public final class AdminService implements HttpService {
    private static final Set<String> FAULT_FIELDS = Set.of("error_rate", "error_statuses", "every_n", "model");

    private final TestControls controls;
    private final RequestBodies bodies;
    private final ServerState state;
    private final boolean initialDeterministic;

    /** {@code deterministic}: the mode at start, which a reset restores. */
    public AdminService(TestControls controls, RequestBodies bodies, ServerState state, boolean deterministic) {
        this.controls = controls;
        this.bodies = bodies;
        this.state = state;
        this.initialDeterministic = deterministic;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/admin/config", this::show)
                .put("/admin/config", this::change)
                .any("/admin/config", ApiErrors::methodNotAllowed)
                .post("/admin/reset", this::reset)
                .any("/admin/reset", ApiErrors::methodNotAllowed);
    }

    private void show(ServerRequest req, ServerResponse res) {
        authorize(req);
        send(res);
    }

    private void change(ServerRequest req, ServerResponse res) {
        authorize(req);
        JsonNode body = bodies.readObject(req);
        requireKnown(body, List.of("faults", "latency", "deterministic"), "");
        FaultSettings changedFaults = body.has("faults") ? merged(controls.settings(), body.get("faults")) : null;
        LatencySettings changedLatency = body.has("latency") ? merged(controls.latency(), body.get("latency")) : null;
        Boolean deterministic = body.has("deterministic") ? new RequestFields(body).bool("deterministic", false) : null;
        if (Boolean.TRUE.equals(deterministic) && !state.engine().canRunDeterministic()) {
            throw ApiException.badRequest("deterministic needs ENGINE=native: the binding batches requests inside "
                    + "llama.cpp, where their numerics depend on each other.", "deterministic");
        }
        if (deterministic != null) {
            state.engine().deterministic(deterministic);
        }
        if (changedFaults != null) {
            controls.update(changedFaults);
        }
        if (changedLatency != null) {
            controls.update(changedLatency);
        }
        send(res);
    }

    private void reset(ServerRequest req, ServerResponse res) {
        authorize(req);
        controls.reset();
        if (state.phase() == ServerState.Phase.READY) {
            state.engine().deterministic(initialDeterministic);
        }
        send(res);
    }

    /** The current fault settings with {@code changes} applied, or a 400 naming the first bad field. */
    private static FaultSettings merged(FaultSettings current, JsonNode changes) {
        if (!changes.isObject()) {
            throw RequestFields.wrongType("faults", "an object");
        }
        requireKnown(changes, FAULT_FIELDS, "faults.");
        RequestFields fields = new RequestFields(changes);
        Double rate = field("faults.error_rate", () -> fields.number("error_rate"));
        Integer everyNth = field("faults.every_n", () -> fields.integer("every_n"));
        String model = changes.has("model") ? field("faults.model", () -> fields.string("model")) : current.model();
        List<ErrorKind> errors = changes.has("error_statuses") ? errors(changes.get("error_statuses"))
                : current.errors();
        if (rate != null && !(rate >= 0 && rate <= 1)) {
            throw ApiException.badRequest("faults.error_rate must be from 0 to 1, got " + rate + ".",
                    "faults.error_rate");
        }
        if (everyNth != null && everyNth < 0) {
            throw ApiException.badRequest("faults.every_n must be 0 (off) or more, got " + everyNth + ".",
                    "faults.every_n");
        }
        try {
            return new FaultSettings(rate == null ? current.errorRate() : rate, errors,
                    everyNth == null ? current.everyNth() : everyNth, model);
        } catch (IllegalArgumentException e) { // an empty list: the only check left to the settings
            throw ApiException.badRequest(e.getMessage(), "faults.error_statuses");
        }
    }

    /** A list of statuses (numbers) and named kinds (strings), or a 400 naming the bad item. */
    private static List<ErrorKind> errors(JsonNode list) {
        if (!list.isArray()) {
            throw RequestFields.wrongType("faults.error_statuses", "a list of statuses and error kinds");
        }
        List<ErrorKind> errors = new ArrayList<>();
        for (JsonNode item : list) {
            if (!item.isTextual() && !item.canConvertToExactIntegral()) {
                throw RequestFields.wrongType("faults.error_statuses", "a list of statuses and error kinds");
            }
            try {
                errors.add(ErrorKind.parse(item.asText()));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("faults.error_statuses: " + e.getMessage(), "faults.error_statuses");
            }
        }
        return errors;
    }

    /** The current latency targets with {@code changes} applied, or a 400 naming the bad field. */
    private static LatencySettings merged(LatencySettings current, JsonNode changes) {
        if (!changes.isObject()) {
            throw RequestFields.wrongType("latency", "an object");
        }
        Map<String, Double> values = TestControls.latencyFields(current);
        RequestFields fields = new RequestFields(changes);
        requireKnown(changes, values.keySet(), "latency.");
        for (Iterator<String> names = changes.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            Double value = field("latency." + name, () -> fields.number(name));
            if (value == null || value < 0) {
                throw ApiException.badRequest("latency." + name + " must be a non-negative number.", "latency." + name);
            }
            values.put(name, value);
        }
        return new LatencySettings(values.get("ttft_ms"), values.get("ttft_std_ms"), values.get("itl_ms"),
                values.get("itl_std_ms"), values.get("prefill_per_token_ms"), values.get("load_factor"));
    }

    /** A 400 naming the first field of {@code node} that is not one of {@code known}. */
    private static void requireKnown(JsonNode node, java.util.Collection<String> known, String prefix) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw ApiException.badRequest(prefix + name + " is not a setting the admin API changes; use " + known
                        + ".", prefix + name);
            }
        }
    }

    private static <T> T field(String name, java.util.function.Supplier<T> read) {
        try {
            return read.get();
        } catch (ApiException e) {
            throw ApiException.badRequest(name + ": " + e.getMessage(), name);
        }
    }

    private void authorize(ServerRequest req) {
        if (!controls.adminEnabled()) {
            throw ApiException.notFound("The admin API is off: set ADMIN_API_KEY to use it.", null);
        }
        String header = req.headers().first(HeaderNames.AUTHORIZATION).orElse("");
        if (!header.startsWith("Bearer ") || !controls.isAdminKey(header.substring("Bearer ".length()).strip())) {
            throw new ApiException(Status.UNAUTHORIZED_401, "The admin API needs Authorization: Bearer <ADMIN_API_KEY>.",
                    null, null);
        }
    }

    private void send(ServerResponse res) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("faults", controls.faultFields());
        body.put("latency", TestControls.latencyFields(controls.latency()));
        body.put("deterministic", deterministic());
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(Json.write(body));
    }

    /** The engine's mode once it serves; the configured one before. */
    private boolean deterministic() {
        return state.phase() == ServerState.Phase.READY ? state.engine().deterministic() : initialDeterministic;
    }
}
