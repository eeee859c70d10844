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
        public Object firstChunk(int index) {
            return chunk(index, new Delta("assistant", ""), null);
        }

        @Override
        public Object deltaChunk(String text) {
            return chunk(0, new Delta(null, text), null);
        }

        @Override
        public Object deltaChunk(int index, String text, List<TokenLogprob> logprobs, int textOffset) {
            return chunk(index, new Delta(null, text), logprobs.isEmpty() ? null : LogprobsShapes.chat(logprobs));
        }

        @Override
        public Object finishChunk(int index, GenerationResult result) {
            return new Chunk(id, created, model, List.of(new ChunkChoice(index, new Delta(null, ""), null,
                    result.finishReason().wireName(), result.stopString())), null);
        }

        @Override
        public Object usageChunk(Usage usage) {
            return new Chunk(id, created, model, List.of(), usage);
        }

        @Override
        public Object fullResponse(List<ChoiceOutcome> choices, Usage usage) {
            List<ChatResponses.Choice> out = new java.util.ArrayList<>(choices.size());
            for (int i = 0; i < choices.size(); i++) {
                ChoiceOutcome choice = choices.get(i);
                out.add(new ChatResponses.Choice(i, new ChatResponses.Message("assistant", choice.text()),
                        choice.logprobs() == null ? null : LogprobsShapes.chat(choice.logprobs()),
                        choice.result().finishReason().wireName(), choice.result().stopString()));
            }
            return new ChatResponses.Completion(id, created, model, out, usage);
        }

        private Chunk chunk(int index, Delta delta, Object logprobs) {
            return new Chunk(id, created, model, List.of(new ChunkChoice(index, delta, logprobs, null, null)), null);
        }
    }
}
