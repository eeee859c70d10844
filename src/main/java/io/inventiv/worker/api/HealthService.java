package io.inventiv.worker.api;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Map;

/**
 * {@code /health} and {@code /ping} (200 with an empty body once the model serves, as in vLLM;
 * {@link GuardFilter} answers 503 before that) and {@code /version}.
 */
public final class HealthService implements HttpService {
    private final byte[] version;

    /** {@code version}: what /version answers, the project's version and the engine's facts. */
    public HealthService(Map<String, Object> version) {
        this.version = Json.write(version);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/health", HealthService::ok)
                .get("/ping", HealthService::ok)
                .post("/ping", HealthService::ok)
                .get("/version", this::version);
    }

    private static void ok(ServerRequest req, ServerResponse res) {
        res.send();
    }

    private void version(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(version);
    }
}
