package io.inventiv.worker.api;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.inventiv.worker.api.protocol.ChatCompletionRequest;
import io.inventiv.worker.api.protocol.ChatResponses;
import io.inventiv.worker.api.protocol.ChatResponses.Chunk;
import io.inventiv.worker.api.protocol.ChatResponses.ChunkChoice;
import io.inventiv.worker.api.protocol.ChatResponses.Delta;
import io.inventiv.worker.api.protocol.LogprobsShapes;
import io.inventiv.worker.api.protocol.Usage;
import io.inventiv.worker.engine.TokenLogprob;
import io.inventiv.worker.engine.GenerationResult;
import io.inventiv.worker.engine.PreparedPrompt;
import java.util.List;

/** {@code POST /v1/chat/completions}: messages through the model's chat template. */
public final class ChatCompletionsService implements HttpService {
    static final String PATH = "/v1/chat/completions";

    private final ServingContext serving;

    public ChatCompletionsService(ServingContext serving) {
        this.serving = serving;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post(PATH, this::create)
                .any(PATH, ApiErrors::methodNotAllowed);
    }

    private void create(ServerRequest req, ServerResponse res) throws InterruptedException {
        ChatCompletionRequest request = ChatCompletionRequest.from(serving.bodies().readObject(req));
        String model = serving.models().resolve(request.common().model());
        PreparedPrompt prompt = serving.engine().prepareChat(request.messages());
        RequestLog log = AccessLogFilter.of(req);
        String id = "chatcmpl-" + log.requestId();
        Shape shape = new Shape(id, System.currentTimeMillis() / 1000, model);
        log.record(GenerationResponder.submitAndRespond(serving, req, res, id, prompt, shape, request.common()));
    }

    record Shape(String id, long created, String model) implements ResponseShape {
        @Override
        public Object firstChunk() {
            return chunk(new Delta("assistant", ""));
        }

        @Override
        public Object deltaChunk(String text) {
            return chunk(new Delta(null, text));
        }

        @Override
        public Object deltaChunk(String text, List<TokenLogprob> logprobs, int textOffset) {
            return new Chunk(id, created, model, List.of(new ChunkChoice(0, new Delta(null, text),
                    LogprobsShapes.chat(logprobs), null, null)), null);
        }

        @Override
        public Object finishChunk(GenerationResult result) {
            return new Chunk(id, created, model, List.of(new ChunkChoice(0, new Delta(null, ""), null,
                    result.finishReason().wireName(), result.stopString())), null);
        }

        @Override
        public Object usageChunk(Usage usage) {
            return new Chunk(id, created, model, List.of(), usage);
        }

        @Override
        public Object fullResponse(String text, GenerationResult result, List<TokenLogprob> logprobs) {
            return new ChatResponses.Completion(id, created, model, List.of(new ChatResponses.Choice(0,
                    new ChatResponses.Message("assistant", text), logprobs == null ? null : LogprobsShapes.chat(logprobs),
                    result.finishReason().wireName(),
                    result.stopString())),
                    Usage.of(result));
        }

        private Chunk chunk(Delta delta) {
            return new Chunk(id, created, model, List.of(new ChunkChoice(0, delta, null, null, null)), null);
        }
    }
}
