package io.inventiv.worker.api;

import io.inventiv.worker.api.protocol.Usage;
import io.inventiv.worker.engine.GenerationResult;
import io.inventiv.worker.engine.TokenLogprob;
import java.util.List;

/** How one endpoint family spells its responses; {@link GenerationResponder} decides the order. */
interface ResponseShape {
    /** The chunk sent before any content (chat's role chunk), or null for none. */
    Object firstChunk();

    Object deltaChunk(String text);

    /**
     * A content chunk that carries the log-probabilities of its tokens; {@code textOffset} is how
     * many characters of content went before it.
     */
    Object deltaChunk(String text, List<TokenLogprob> logprobs, int textOffset);

    Object finishChunk(GenerationResult result);

    /** The usage-only chunk, with an empty choices list. */
    Object usageChunk(Usage usage);

    /** The whole answer; {@code logprobs} is null when the request asked for none. */
    Object fullResponse(String text, GenerationResult result, List<TokenLogprob> logprobs);
}
