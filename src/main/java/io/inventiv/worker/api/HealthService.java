package io.inventiv.worker.api;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** {@code /health} and {@code /ping}: 200 with an empty body once the model serves, as in vLLM. */
public final class HealthService implements HttpService {
    @Override
    public void routing(HttpRules rules) {
        rules.get("/health", HealthService::ok)
                .get("/ping", HealthService::ok)
                .post("/ping", HealthService::ok);
    }

    private static void ok(ServerRequest req, ServerResponse res) {
        res.send();
    }
}
