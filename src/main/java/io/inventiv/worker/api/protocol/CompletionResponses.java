package io.inventiv.worker.api.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** Response shapes of /v1/completions; streamed chunks use the same object type as vLLM does. */
public final class CompletionResponses {
    private CompletionResponses() {
    }

    public record Choice(int index, String text, Object logprobs, String finishReason, Object stopReason) {
    }

    public record Completion(String id, String object, long created, String model, List<Choice> choices,
            @JsonInclude(JsonInclude.Include.NON_NULL) Usage usage) {
        public Completion(String id, long created, String model, List<Choice> choices, Usage usage) {
            this(id, "text_completion", created, model, choices, usage);
        }
    }
}
