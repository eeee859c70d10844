package io.inventiv.worker.api.protocol;

import io.inventiv.worker.api.ApiException;
import io.inventiv.worker.engine.SamplingRequest;

/**
 * The fields that chat and text completions share, read once: model, streaming, sampling.
 *
 * @param maxTokensField the field that carried the limit, for error messages
 */
public record CommonRequestFields(String model, boolean stream, boolean includeUsage, SamplingRequest sampling,
        String maxTokensField, int n) {
    /** vLLM's default max_logprobs. */
    public static final int MAX_LOGPROBS = 20;

    /** The same fields, with the output constrained by {@code constraint} (a forced tool call). */
    public CommonRequestFields withConstraint(io.inventiv.worker.engine.GrammarConstraint constraint) {
        return new CommonRequestFields(model, stream, includeUsage, sampling.withConstraint(constraint),
                maxTokensField, n);
    }

    /** Reads and type-checks the shared fields. */
    public static CommonRequestFields read(RequestFields fields, boolean chat) {
        Integer n = fields.integer("n");
        if (n != null && n < 1) {
            throw ApiException.badRequest("n must be at least 1, got n=" + n + ".", "n");
        }
        int choices = n == null ? 1 : n;
        Integer bestOf = fields.integer("best_of");
        if (bestOf != null && bestOf != choices) {
            throw ApiException.badRequest("best_of must equal n (" + choices + "), got best_of=" + bestOf + ".",
                    "best_of");
        }
        Integer logprobs = logprobs(fields, chat);
        // OpenAI renamed max_tokens to max_completion_tokens for chat; the newer name wins.
        Integer maxCompletionTokens = chat ? fields.integer("max_completion_tokens") : null;
        Integer maxTokens = fields.integer("max_tokens");
        String limitField = maxCompletionTokens != null ? "max_completion_tokens" : "max_tokens";
        Integer limit = maxCompletionTokens != null ? maxCompletionTokens : maxTokens;
        if (limit != null && limit < 1) {
            throw ApiException.badRequest(limitField + " must be at least 1, got " + limit + ".", limitField);
        }
        SamplingRequest sampling = new SamplingRequest(
                limit,
                fields.number("temperature"),
                fields.number("top_p"),
                fields.integer("top_k"),
                fields.number("min_p"),
                fields.number("presence_penalty"),
                fields.number("frequency_penalty"),
                fields.number("repetition_penalty"),
                fields.longInteger("seed"),
                fields.bool("ignore_eos", false),
                fields.stringOrList("stop"),
                StructuredOutputs.read(fields),
                logprobs);
        fields.string("user"); // accepted and ignored, but it must still be a string
        String model = fields.string("model");
        boolean stream = fields.bool("stream", false);
        return new CommonRequestFields(model, stream, fields.includeUsage(), sampling, limitField, choices);
    }

    /**
     * How many alternatives each token reports, or null for no log-probabilities: chat's
     * {@code logprobs} + {@code top_logprobs}, completions' integer {@code logprobs}; at most 20, as
     * vLLM's default max_logprobs.
     */
    private static Integer logprobs(RequestFields fields, boolean chat) {
        if (!chat && fields.bool("echo", false)) {
            throw ApiException.badRequest("echo is not supported by this server.", "echo");
        }
        if (fields.raw("prompt_logprobs") != null) {
            throw ApiException.badRequest("prompt_logprobs is not supported by this server.", "prompt_logprobs");
        }
        String field = chat ? "top_logprobs" : "logprobs";
        Integer count = fields.integer(field);
        if (chat) {
            boolean wanted = fields.bool("logprobs", false);
            if (!wanted && count != null && count > 0) {
                throw ApiException.badRequest("when using `top_logprobs`, `logprobs` must be set to true.", field);
            }
            if (!wanted) {
                return null;
            }
            count = count == null ? 0 : count;
        }
        if (count != null && (count < 0 || count > MAX_LOGPROBS)) {
            throw ApiException.badRequest(field + " must be between 0 and " + MAX_LOGPROBS + ", got " + count + ".",
                    field);
        }
        return count;
    }
}
