package io.inventiv.worker.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.inventiv.worker.api.protocol.ChatCompletionRequest;
import io.inventiv.worker.api.protocol.RequestFields;
import io.inventiv.worker.engine.Engine;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * vLLM's {@code /tokenize} and {@code /detokenize}. Token counts here are the ones usage
 * reports: chat messages go through the same template and BOS rule as a chat completion.
 */
public final class TokenizeService implements HttpService {
    private final ServingContext serving;

    public TokenizeService(ServingContext serving) {
        this.serving = serving;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/tokenize", this::tokenize)
                .any("/tokenize", ApiErrors::methodNotAllowed)
                .post("/detokenize", this::detokenize)
                .any("/detokenize", ApiErrors::methodNotAllowed);
    }

    private void tokenize(ServerRequest req, ServerResponse res) {
        JsonNode body = serving.bodies().readObject(req);
        RequestFields fields = new RequestFields(body);
        serving.models().resolve(fields.string("model"));
        Engine engine = serving.engine();
        int[] tokens;
        if (fields.raw("messages") != null) {
            if (!fields.bool("add_generation_prompt", true)) {
                throw ApiException.badRequest("add_generation_prompt=false is not supported.", "add_generation_prompt");
            }
            ChatCompletionRequest chat = ChatCompletionRequest.from(body);
            tokens = engine.prepareChat(chat.messages(), chat.tools() == null ? null : chat.tools().tools()).tokens();
        } else {
            String prompt = fields.string("prompt");
            if (prompt == null) {
                throw ApiException.badRequest("Either 'prompt' or 'messages' is required.", "prompt");
            }
            tokens = engine.tokenize(prompt, fields.bool("add_special_tokens", true));
        }
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("count", tokens.length);
        response.put("max_model_len", engine.maxModelLen());
        response.put("tokens", tokens);
        response.put("token_strs", null);
        sendJson(res, response);
    }

    private void detokenize(ServerRequest req, ServerResponse res) {
        RequestFields fields = new RequestFields(serving.bodies().readObject(req));
        serving.models().resolve(fields.string("model"));
        JsonNode tokens = fields.raw("tokens");
        if (tokens == null || !tokens.isArray()) {
            throw RequestFields.wrongType("tokens", "a list of token ids");
        }
        int[] ids = new int[tokens.size()];
        for (int i = 0; i < ids.length; i++) {
            JsonNode id = tokens.get(i);
            if (!id.isIntegralNumber() || !id.canConvertToInt()) {
                throw RequestFields.wrongType("tokens", "a list of token ids");
            }
            ids[i] = id.intValue();
        }
        // The engine range-checks every id: an out-of-vocabulary id would abort the JVM natively.
        sendJson(res, Map.of("prompt", serving.engine().detokenize(ids)));
    }

    private static void sendJson(ServerResponse res, Object body) {
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(Json.write(body));
    }
}
