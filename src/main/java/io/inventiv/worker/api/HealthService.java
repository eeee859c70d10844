package io.inventiv.worker.api;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /health} and {@code /ping} (200 with an empty body once the model serves, as in vLLM;
 * {@link GuardFilter} answers 503 before that) and {@code /version}.
 */
public final class HealthService implements HttpService {
    private final byte[] version;

    /** {@code engineFacts}: the engine's name and what it runs on (llama.cpp release, build, devices). */
    public HealthService(String projectVersion, Map<String, Object> engineFacts) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("version", projectVersion);
        body.putAll(engineFacts);
        this.version = Json.write(body);
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
