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
import io.inventiv.worker.engine.FinishReason;
import io.inventiv.worker.engine.GenerationResult;
import io.inventiv.worker.engine.PreparedPrompt;
import java.util.List;
import java.util.Set;

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
        InjectedFault fault = serving.controls().admit(req, request.common().model());
        String model = serving.models().resolve(request.common().model());
        PreparedPrompt prompt = serving.engine().prepareChat(request.messages(),
                request.tools() == null ? null : request.tools().tools());
        RequestLog log = AccessLogFilter.of(req);
        String id = "chatcmpl-" + log.requestId();
        Shape shape = new Shape(id, System.currentTimeMillis() / 1000, model,
                request.tools() == null ? null : request.tools().schemas().keySet());
        log.record(GenerationResponder.submitAndRespond(serving, req, res, id, prompt, shape, request.common(),
                fault));
    }

    /** {@code functions}: the names of the request's tools, or null when it offers none. */
    record Shape(String id, long created, String model, Set<String> functions) implements ResponseShape {
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
        public Object toolCallsFinishChunk(int index, GenerationResult result) {
            return new Chunk(id, created, model, List.of(new ChunkChoice(index, new Delta(null, ""), null,
                    "tool_calls", null)), null);
        }

        @Override
        public HermesToolCalls toolCalls() {
            return functions == null ? null : new HermesToolCalls(functions);
        }

        @Override
        public List<Object> toolCallChunks(int index, HermesToolCalls.Call call) {
            ChatResponses.ToolCallDelta named = new ChatResponses.ToolCallDelta(call.index(), call.id(), "function",
                    new ChatResponses.FunctionDelta(call.name(), ""));
            ChatResponses.ToolCallDelta arguments = new ChatResponses.ToolCallDelta(call.index(), null, null,
                    new ChatResponses.FunctionDelta(null, call.arguments()));
            return List.of(chunk(index, new Delta(null, null, List.of(named)), null),
                    chunk(index, new Delta(null, null, List.of(arguments)), null));
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
                ChatResponses.Message message = message(choice.text());
                boolean called = !message.toolCalls().isEmpty() && choice.result().finishReason() == FinishReason.STOP;
                out.add(new ChatResponses.Choice(i, message,
                        choice.logprobs() == null ? null : LogprobsShapes.chat(choice.logprobs()),
                        called ? "tool_calls" : choice.result().finishReason().wireName(), choice.result().stopString()));
            }
            return new ChatResponses.Completion(id, created, model, out, usage);
        }

        /** The answer's text, with its tool calls read out when the request offered tools. */
        private ChatResponses.Message message(String text) {
            if (functions == null) {
                return new ChatResponses.Message("assistant", text);
            }
            StringBuilder content = new StringBuilder();
            List<ChatResponses.ToolCall> calls = new java.util.ArrayList<>();
            for (HermesToolCalls.Part part : HermesToolCalls.parseWhole(text, functions)) {
                if (part instanceof HermesToolCalls.Call call) {
                    calls.add(new ChatResponses.ToolCall(call.id(), call.name(), call.arguments()));
                } else {
                    content.append(((HermesToolCalls.Text) part).text());
                }
            }
            String rest = content.toString().strip();
            return new ChatResponses.Message("assistant", calls.isEmpty() ? text : rest.isEmpty() ? null : rest, calls);
        }

        private Chunk chunk(int index, Delta delta, Object logprobs) {
            return new Chunk(id, created, model, List.of(new ChunkChoice(index, delta, logprobs, null, null)), null);
        }
    }
}
