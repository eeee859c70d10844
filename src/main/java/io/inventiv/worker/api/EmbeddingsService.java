package io.inventiv.worker.api;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.inventiv.worker.api.protocol.EmbeddingRequest;
import io.inventiv.worker.api.protocol.EmbeddingResponses.Embedding;
import io.inventiv.worker.api.protocol.EmbeddingResponses.EmbeddingList;
import io.inventiv.worker.api.protocol.Usage;
import io.inventiv.worker.engine.Engine;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * {@code POST /v1/embeddings}: mean-pooled, L2-normalised embeddings from the served model, as
 * vLLM's embed pooler gives them. Off with {@code EMBEDDINGS=false}, answered then as vLLM
 * answers for a model without the Embeddings API.
 */
public final class EmbeddingsService implements HttpService {
    static final String PATH = "/v1/embeddings";

    private final ServingContext serving;
    private final boolean enabled;

    public EmbeddingsService(ServingContext serving, boolean enabled) {
        this.serving = serving;
        this.enabled = enabled;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post(PATH, this::create)
                .any(PATH, ApiErrors::methodNotAllowed);
    }

    private void create(ServerRequest req, ServerResponse res) throws InterruptedException {
        if (!enabled) {
            throw ApiException.badRequest("The model does not support Embeddings API", null);
        }
        EmbeddingRequest request = EmbeddingRequest.from(serving.bodies().readObject(req));
        if (serving.controls().admit(req, request.model()) != null) {
            throw ApiException.badRequest("abort-after breaks a stream of generated content, and an embeddings "
                    + "answer has none: use status=… or hang=….", "X-Fault");
        }
        String model = serving.models().resolve(request.model());
        Engine engine = serving.engine();
        List<int[]> sequences = new ArrayList<>();
        if (request.texts() != null) {
            for (String text : request.texts()) {
                sequences.add(engine.tokenize(text, request.addSpecialTokens()));
            }
        } else {
            sequences.addAll(request.tokenLists());
        }
        List<float[]> vectors = engine.embed(sequences);
        List<Embedding> data = new ArrayList<>(vectors.size());
        int promptTokens = 0;
        for (int i = 0; i < vectors.size(); i++) {
            data.add(new Embedding(i, request.base64() ? base64(vectors.get(i)) : vectors.get(i)));
            promptTokens += sequences.get(i).length;
        }
        String id = "embd-" + AccessLogFilter.of(req).requestId();
        EmbeddingList body = new EmbeddingList(id, System.currentTimeMillis() / 1000, model, data,
                new Usage(promptTokens, promptTokens, 0, null));
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(Json.write(body));
    }

    /** OpenAI's base64 form: the float32 values, little-endian. */
    private static String base64(float[] vector) {
        ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(vector);
        return Base64.getEncoder().encodeToString(bytes.array());
    }
}
