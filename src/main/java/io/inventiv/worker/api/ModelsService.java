package io.inventiv.worker.api;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/models}. The control plane's agent polls it with a 2 s timeout while every
 * slot may be busy, so the answer is built once at start-up and never touches the engine.
 */
public final class ModelsService implements HttpService {
    static final String PATH = "/v1/models";

    private final byte[] body;

    public ModelsService(List<String> servedNames, String root, int maxModelLen) {
        long created = System.currentTimeMillis() / 1000;
        List<Map<String, Object>> data = new ArrayList<>();
        for (String name : servedNames) {
            Map<String, Object> model = new LinkedHashMap<>();
            model.put("id", name);
            model.put("object", "model");
            model.put("created", created);
            model.put("owned_by", "vllm");
            model.put("root", root);
            model.put("parent", null);
            model.put("max_model_len", maxModelLen);
            data.add(model);
        }
        Map<String, Object> list = new LinkedHashMap<>();
        list.put("object", "list");
        list.put("data", data);
        this.body = Json.write(list);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get(PATH, this::list)
                .any(PATH, ApiErrors::methodNotAllowed);
    }

    private void list(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(body);
    }
}
