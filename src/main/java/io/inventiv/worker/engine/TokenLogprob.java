package io.inventiv.worker.engine;

import java.util.List;

/**
 * A generated token with its log-probability and the most likely alternatives, most likely
 * first. Values are the model's raw log-softmax, before temperature, penalties or grammar (vLLM's
 * default {@code logprobs_mode}).
 *
 * @param token the token's text (broken UTF-8 shown as U+FFFD; {@code bytes} are exact)
 */
public record TokenLogprob(String token, byte[] bytes, float logprob, List<Alternative> top) {
    public record Alternative(String token, byte[] bytes, float logprob) {
    }
}
