package io.inventiv.worker.api;

import io.inventiv.worker.api.protocol.Usage;
import io.inventiv.worker.engine.GenerationResult;
import io.inventiv.worker.engine.TokenLogprob;
import java.util.List;

/** How one endpoint family spells its responses; {@link GenerationResponder} decides the order. */
interface ResponseShape {
    /** The chunk sent before any content of choice {@code index} (chat's role chunk), or null for none. */
    Object firstChunk(int index);

    /** Choice 0's content chunk without log-probabilities: the per-token path of an n = 1 stream. */
    Object deltaChunk(String text);

    /**
     * A content chunk of choice {@code index}, with the log-probabilities of its tokens (maybe
     * none); {@code textOffset} is how many characters of that choice's content went before it.
     */
    Object deltaChunk(int index, String text, List<TokenLogprob> logprobs, int textOffset);

    Object finishChunk(int index, GenerationResult result);

    /** The finish chunk of a choice whose text held tool calls ({@code finish_reason: "tool_calls"}). */
    default Object toolCallsFinishChunk(int index, GenerationResult result) {
        return finishChunk(index, result);
    }

    /** A reader of tool calls in a stream's text, or null when the request offers no tools. */
    default HermesToolCalls toolCalls() {
        return null;
    }

    /** The chunks of one finished call: its id, type and name, then its arguments. */
    default List<Object> toolCallChunks(int index, HermesToolCalls.Call call) {
        throw new UnsupportedOperationException("this endpoint has no tool calls");
    }

    /** The usage-only chunk, with an empty choices list. */
    Object usageChunk(Usage usage);

    /** The whole answer; a choice's {@code logprobs} is null when the request asked for none. */
    Object fullResponse(List<ChoiceOutcome> choices, Usage usage);

    /** What one choice came to. */
    record ChoiceOutcome(String text, GenerationResult result, List<TokenLogprob> logprobs) {
    }
}
