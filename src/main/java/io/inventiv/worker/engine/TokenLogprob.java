package io.inventiv.worker.engine;

import io.inventiv.worker.engine.jni.NativeContext;
import io.inventiv.worker.engine.jni.NativeModel;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A generated token with its log-probability and the most likely alternatives, most likely
 * first. Values are the model's raw log-softmax, before temperature, penalties or grammar (vLLM's
 * default {@code logprobs_mode}).
 *
 * @param token the token's text (broken UTF-8 shown as U+FFFD; {@code bytes} are exact)
 */
public record TokenLogprob(String token, byte[] bytes, float logprob, List<Alternative> top) {
    /** A sampled token's log-probability and its {@code alternatives} most likely rivals, at a row of the last batch. */
    static TokenLogprob read(NativeModel model, NativeContext context, int row, int token, int alternatives) {
        NativeContext.Logprobs values = context.logprobs(row, token, alternatives);
        List<Alternative> top = new java.util.ArrayList<>(alternatives);
        for (int i = 0; i < alternatives; i++) {
            byte[] bytes = model.pieceBytes(values.topIds()[i]);
            top.add(new Alternative(new String(bytes, StandardCharsets.UTF_8), bytes, values.topLogprobs()[i]));
        }
        byte[] bytes = model.pieceBytes(token);
        return new TokenLogprob(new String(bytes, StandardCharsets.UTF_8), bytes, values.logprob(), top);
    }

    public record Alternative(String token, byte[] bytes, float logprob) {
    }
}
