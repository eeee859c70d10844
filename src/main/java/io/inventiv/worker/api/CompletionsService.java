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
        InjectedFault fault = serving.controls().admit(req, request.common().model());
        String model = serving.models().resolve(request.common().model());
        PreparedPrompt prompt = request.promptTokens() != null
                ? serving.engine().prepareTokens(request.promptTokens())
                : serving.engine().prepareText(request.promptText());
        RequestLog log = AccessLogFilter.of(req);
        String id = "cmpl-" + log.requestId();
        Shape shape = new Shape(id, System.currentTimeMillis() / 1000, model);
        log.record(GenerationResponder.submitAndRespond(serving, req, res, id, prompt, shape, request.common(),
                fault));
    }

    record Shape(String id, long created, String model) implements ResponseShape {
        @Override
        public Object firstChunk(int index) {
            return null; // vLLM's completion streams start with text, not a role
        }

        @Override
        public Object deltaChunk(String text) {
            return new Completion(id, created, model, List.of(new Choice(0, text, null, null, null)), null);
        }

        @Override
        public Object deltaChunk(int index, String text, List<TokenLogprob> logprobs, int textOffset) {
            return new Completion(id, created, model, List.of(new Choice(index, text,
                    logprobs.isEmpty() ? null : LogprobsShapes.completion(logprobs, textOffset), null, null)), null);
        }

        @Override
        public Object finishChunk(int index, GenerationResult result) {
            return new Completion(id, created, model, List.of(new Choice(index, "", null,
                    result.finishReason().wireName(), result.stopString())), null);
        }

        @Override
        public Object usageChunk(Usage usage) {
            return new Completion(id, created, model, List.of(), usage);
        }

        @Override
        public Object fullResponse(List<ChoiceOutcome> choices, Usage usage) {
            List<Choice> out = new java.util.ArrayList<>(choices.size());
            for (int i = 0; i < choices.size(); i++) {
                ChoiceOutcome choice = choices.get(i);
                out.add(new Choice(i, choice.text(),
                        choice.logprobs() == null ? null : LogprobsShapes.completion(choice.logprobs(), 0),
                        choice.result().finishReason().wireName(), choice.result().stopString()));
            }
            return new Completion(id, created, model, out, usage);
        }
    }
}
