package io.inventiv.worker.api;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Map;

/**
 * vLLM's dev-mode endpoints ({@code VLLM_SERVER_DEV_MODE=1}): {@code POST /sleep?level=1|2},
 * {@code POST /wake_up} and {@code GET /is_sleeping}. Both changes answer 200 with no body once
 * they are done, as vLLM does.
 */
public final class SleepService implements HttpService {
    private final ModelSleep sleep;

    public SleepService(ModelSleep sleep) {
        this.sleep = sleep;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/sleep", this::sleep)
                .any("/sleep", ApiErrors::methodNotAllowed)
                .post("/wake_up", this::wakeUp)
                .any("/wake_up", ApiErrors::methodNotAllowed)
                .get("/is_sleeping", this::isSleeping)
                .any("/is_sleeping", ApiErrors::methodNotAllowed);
    }

    private void sleep(ServerRequest req, ServerResponse res) {
        String level = req.query().first("level").orElse("1");
        if (!level.equals("1") && !level.equals("2")) {
            throw ApiException.badRequest("level must be 1 or 2, got '" + level + "'.", "level");
        }
        sleep.sleep(Integer.parseInt(level));
        res.send();
    }

    private void wakeUp(ServerRequest req, ServerResponse res) {
        sleep.wakeUp();
        res.send();
    }

    private void isSleeping(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(Json.write(Map.of("is_sleeping", sleep.isSleeping())));
    }
}
