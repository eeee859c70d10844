package io.inventiv.worker.api.protocol;

import io.inventiv.worker.engine.TokenLogprob;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Log-probabilities as vLLM writes them: chat's {@code content} list, and completions' four columns. */
public final class LogprobsShapes {
    private LogprobsShapes() {
    }

    public record ChatLogprobs(List<ChatToken> content) {
    }

    public record ChatToken(String token, float logprob, int[] bytes, List<ChatAlternative> topLogprobs) {
    }

    public record ChatAlternative(String token, float logprob, int[] bytes) {
    }

    public record CompletionLogprobs(List<Integer> textOffset, List<Float> tokenLogprobs, List<String> tokens,
            List<Map<String, Float>> topLogprobs) {
    }

    public static ChatLogprobs chat(List<TokenLogprob> tokens) {
        List<ChatToken> content = new ArrayList<>(tokens.size());
        for (TokenLogprob token : tokens) {
            List<ChatAlternative> top = new ArrayList<>(token.top().size());
            token.top().forEach(a -> top.add(new ChatAlternative(a.token(), a.logprob(), unsigned(a.bytes()))));
            content.add(new ChatToken(token.token(), token.logprob(), unsigned(token.bytes()), top));
        }
        return new ChatLogprobs(content);
    }

    /**
     * Completions' columns; {@code textOffset} is where the first token's text starts in the whole
     * completion. As vLLM does, each token's alternatives include the token itself.
     */
    public static CompletionLogprobs completion(List<TokenLogprob> tokens, int textOffset) {
        List<Integer> offsets = new ArrayList<>(tokens.size());
        List<Float> values = new ArrayList<>(tokens.size());
        List<String> texts = new ArrayList<>(tokens.size());
        List<Map<String, Float>> tops = new ArrayList<>(tokens.size());
        int offset = textOffset;
        for (TokenLogprob token : tokens) {
            offsets.add(offset);
            offset += token.token().length();
            values.add(token.logprob());
            texts.add(token.token());
            Map<String, Float> top = new LinkedHashMap<>();
            token.top().forEach(a -> top.putIfAbsent(a.token(), a.logprob()));
            top.putIfAbsent(token.token(), token.logprob());
            tops.add(top);
        }
        return new CompletionLogprobs(offsets, values, texts, tops);
    }

    private static int[] unsigned(byte[] bytes) {
        int[] out = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = bytes[i] & 0xFF;
        }
        return out;
    }
}
