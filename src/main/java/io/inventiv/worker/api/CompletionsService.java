package io.inventiv.worker.api;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.inventiv.worker.api.protocol.CompletionRequest;
import io.inventiv.worker.api.protocol.CompletionResponses.Choice;
import io.inventiv.worker.api.protocol.CompletionResponses.Completion;
import io.inventiv.worker.api.protocol.Usage;
import io.inventiv.worker.api.protocol.LogprobsShapes;
import io.inventiv.worker.engine.GenerationResult;
import io.inventiv.worker.engine.TokenLogprob;
import io.inventiv.worker.engine.PreparedPrompt;
import java.util.List;

/** {@code POST /v1/completions}: raw text or token-id prompts, no template. */
public final class CompletionsService implements HttpService {
    static final String PATH = "/v1/completions";

    private final ServingContext serving;

    public CompletionsService(ServingContext serving) {
        this.serving = serving;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post(PATH, this::create)
                .any(PATH, ApiErrors::methodNotAllowed);
    }

    private void create(ServerRequest req, ServerResponse res) throws InterruptedException {
        CompletionRequest request = CompletionRequest.from(serving.bodies().readObject(req));
        String model = serving.models().resolve(request.common().model());
        PreparedPrompt prompt = request.promptTokens() != null
                ? serving.engine().prepareTokens(request.promptTokens())
                : serving.engine().prepareText(request.promptText());
        RequestLog log = AccessLogFilter.of(req);
        String id = "cmpl-" + log.requestId();
        Shape shape = new Shape(id, System.currentTimeMillis() / 1000, model);
        log.record(GenerationResponder.submitAndRespond(serving, req, res, id, prompt, shape, request.common()));
    }

    record Shape(String id, long created, String model) implements ResponseShape {
        @Override
        public Object firstChunk() {
            return null; // vLLM's completion streams start with text, not a role
        }

        @Override
        public Object deltaChunk(String text) {
            return completion(text, null, null);
        }

        @Override
        public Object deltaChunk(String text, List<TokenLogprob> logprobs, int textOffset) {
            return new Completion(id, created, model, List.of(new Choice(0, text,
                    LogprobsShapes.completion(logprobs, textOffset), null, null)), null);
        }

        @Override
        public Object finishChunk(GenerationResult result) {
            return new Completion(id, created, model, List.of(new Choice(0, "", null,
                    result.finishReason().wireName(), result.stopString())), null);
        }

        @Override
        public Object usageChunk(Usage usage) {
            return new Completion(id, created, model, List.of(), usage);
        }

        @Override
        public Object fullResponse(String text, GenerationResult result, List<TokenLogprob> logprobs) {
            return new Completion(id, created, model, List.of(new Choice(0, text,
                    logprobs == null ? null : LogprobsShapes.completion(logprobs, 0),
                    result.finishReason().wireName(), result.stopString())), Usage.of(result));
        }

        private Completion completion(String text, String finishReason, Usage usage) {
            return new Completion(id, created, model, List.of(new Choice(0, text, null, finishReason, null)), usage);
        }
    }
}
