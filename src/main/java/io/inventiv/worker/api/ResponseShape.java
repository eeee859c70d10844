package io.inventiv.worker.api;

import io.inventiv.worker.api.protocol.Usage;
import io.inventiv.worker.engine.GenerationResult;

/** How one endpoint family spells its responses; {@link GenerationResponder} decides the order. */
interface ResponseShape {
    /** The chunk sent before any content (chat's role chunk), or null for none. */
    Object firstChunk();

    Object deltaChunk(String text);

    Object finishChunk(GenerationResult result);

    /** The usage-only chunk, with an empty choices list. */
    Object usageChunk(Usage usage);

    Object fullResponse(String text, GenerationResult result);
}
