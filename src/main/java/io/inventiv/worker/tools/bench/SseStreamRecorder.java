package io.inventiv.worker.tools.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Turns the lines of an OpenAI-style SSE stream into timings, fed one line at a time with the
 * instant it was read. Kept apart from the HTTP code so that tests can drive it with canned
 * frames and chosen instants.
 *
 * <p>A content delta is a frame whose first choice has non-empty {@code text} (completions) or
 * {@code delta.content} (chat): role chunks, finish chunks and {@code : ping} comments are not
 * tokens and must not count towards TTFT. Counting prefers the usage chunk, because a delta can
 * carry more than one token (a UTF-8 character split across tokens arrives whole).
 */
public final class SseStreamRecorder {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DeltaClock clock;
    private int usageCompletionTokens = -1;
    private int usagePromptTokens = -1;
    private boolean finished;
    private boolean done;
    private String errorFrame;

    public SseStreamRecorder(long startNanos) {
        this.clock = new DeltaClock(startNanos);
    }

    /** One line of the body, without its line terminator, read at {@code atNanos}. */
    public void onLine(String line, long atNanos) {
        if (!line.startsWith("data:")) {
            return; // blank separators, ": ping" comments, event:/id: fields
        }
        String data = line.substring(5).strip();
        if (data.equals("[DONE]")) {
            done = true;
            return;
        }
        JsonNode frame;
        try {
            frame = JSON.readTree(data);
        } catch (java.io.IOException e) {
            errorFrame = "unparseable frame: " + abbreviate(data);
            return;
        }
        if (frame.has("error")) {
            errorFrame = abbreviate(frame.get("error").toString());
            return;
        }
        JsonNode choice = frame.path("choices").path(0);
        String text = choice.has("delta") ? choice.path("delta").path("content").asText("")
                : choice.path("text").asText("");
        if (!text.isEmpty()) {
            clock.onDelta(atNanos);
        }
        if (!choice.path("finish_reason").isMissingNode() && !choice.path("finish_reason").isNull()) {
            finished = true;
        }
        JsonNode usage = frame.path("usage");
        if (usage.isObject()) {
            usageCompletionTokens = usage.path("completion_tokens").asInt(-1);
            usagePromptTokens = usage.path("prompt_tokens").asInt(-1);
        }
    }

    /** The result once the body ended (or broke) at {@code endNanos}. */
    public StreamResult finish(long endNanos) {
        String errorKind = null;
        String error = null;
        if (errorFrame != null) {
            errorKind = "error-frame";
            error = errorFrame;
        } else if (!done && !finished) {
            errorKind = "truncated";
            error = "stream ended without a finish_reason or [DONE]";
        }
        int completionTokens = usageCompletionTokens >= 0 ? usageCompletionTokens : clock.deltas();
        return clock.result(errorKind, error, endNanos, completionTokens, usagePromptTokens);
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }
}
