package io.inventiv.worker.api;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;
import io.inventiv.worker.api.protocol.Usage;
import io.inventiv.worker.engine.FinishReason;
import io.inventiv.worker.engine.GenerationResult;
import io.inventiv.worker.engine.TokenLogprob;
import java.util.List;

/**
 * One streamed response, and the only place that knows the order of its frames:
 * <pre>
 *   open      headers, then each choice's role chunk (chat) or a ": ping" comment (completions)
 *   ping*     ": ping" while nothing happens
 *   delta*    one content chunk per piece of text of a choice
 *   finish    the chunk with finish_reason, the usage chunk (choices: []) when asked, [DONE]
 *   | (choiceEnd per choice, then done), when n &gt; 1
 *   | fail    one error frame ({"error":{...}}), [DONE]
 * </pre>
 * Nothing is written before {@link #open}, so a request refused at admission still gets its
 * JSON error. Every write goes through the request's {@link ClientDeparture}. One thread, the
 * request's own, writes a stream.
 */
final class SseStream {
    private enum State { NEW, OPEN, ENDED }

    private final ServerResponse res;
    private final ResponseShape shape;
    private final DeltaChunkTemplate deltas;
    /** Characters of content sent so far per choice (completions' text_offset). */
    private final int[] sentChars;
    private final boolean sendUsage;
    /** Reads tool calls out of the text when the request offers tools (n = 1 only), else null. */
    private final HermesToolCalls tools;
    private final ClientDeparture departure;
    private SseWriter sse;
    private State state = State.NEW;

    SseStream(ServerResponse res, ResponseShape shape, boolean sendUsage, ClientDeparture departure) {
        this(res, shape, sendUsage, departure, 1);
    }

    SseStream(ServerResponse res, ResponseShape shape, boolean sendUsage, ClientDeparture departure, int choices) {
        this.sentChars = new int[choices];
        this.tools = choices == 1 ? shape.toolCalls() : null;
        this.res = res;
        this.shape = shape;
        this.deltas = DeltaChunkTemplate.of(shape);
        this.sendUsage = sendUsage;
        this.departure = departure;
    }

    /** Commits the headers, so the client knows it was admitted; the first frame goes with them. */
    void open() throws ClientGoneException {
        if (state != State.NEW) {
            return;
        }
        state = State.OPEN;
        res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        List<Object> firsts = new java.util.ArrayList<>();
        for (int i = 0; i < sentChars.length; i++) {
            Object first = shape.firstChunk(i);
            if (first != null) {
                firsts.add(first);
            }
        }
        departure.write(() -> {
            sse = new SseWriter(res.outputStream());
            for (Object first : firsts) {
                sse.data(Json.write(first));
            }
            if (firsts.isEmpty()) {
                sse.ping();
            }
        });
    }

    void ping() throws ClientGoneException {
        requireOpen();
        departure.write(sse::ping);
    }

    void delta(int index, String text, List<TokenLogprob> logprobs) throws ClientGoneException {
        if (tools != null) {
            toolDelta(tools.accept(text), logprobs);
            return;
        }
        content(index, text, logprobs);
    }

    /** Text and calls read from a stream's text; the tokens' log-probabilities go with the first chunk. */
    private void toolDelta(List<HermesToolCalls.Part> parts, List<TokenLogprob> logprobs) throws ClientGoneException {
        List<TokenLogprob> unsent = logprobs;
        for (HermesToolCalls.Part part : parts) {
            if (part instanceof HermesToolCalls.Text text) {
                content(0, text.text(), unsent);
            } else {
                HermesToolCalls.Call call = (HermesToolCalls.Call) part;
                for (Object chunk : shape.toolCallChunks(0, call)) {
                    byte[] json = Json.write(chunk);
                    departure.write(() -> sse.data(json));
                }
                if (!unsent.isEmpty()) {
                    content(0, "", unsent);
                }
            }
            unsent = List.of();
        }
        if (parts.isEmpty() && !unsent.isEmpty()) {
            content(0, "", unsent);
        }
    }

    private void content(int index, String text, List<TokenLogprob> logprobs) throws ClientGoneException {
        requireOpen();
        byte[] chunk = index == 0 && logprobs.isEmpty() ? deltas.render(text)
                : Json.write(shape.deltaChunk(index, text, logprobs, sentChars[index]));
        sentChars[index] += text.length();
        departure.write(() -> sse.data(chunk));
    }

    /** One choice of several has ended: its finish chunk. */
    void choiceEnd(int index, GenerationResult result) throws ClientGoneException {
        requireOpen();
        byte[] finish = Json.write(shape.finishChunk(index, result));
        departure.write(() -> sse.data(finish));
    }

    /** Every choice has ended: the usage chunk if the stream sends one, and [DONE]. */
    void done(Usage usage) throws ClientGoneException {
        requireOpen();
        state = State.ENDED;
        if (sendUsage) {
            byte[] chunk = Json.write(shape.usageChunk(usage));
            departure.write(() -> sse.dataThenDone(chunk));
        } else {
            departure.write(() -> sse.dataThenDone());
        }
    }

    /** The finish chunk, the usage chunk if the stream sends one, and [DONE], in one flush. */
    void finish(GenerationResult result) throws ClientGoneException {
        requireOpen();
        if (tools != null) {
            toolDelta(tools.finish(), List.of());
        }
        state = State.ENDED;
        boolean called = tools != null && tools.calls() > 0 && result.finishReason() == FinishReason.STOP;
        byte[] finish = Json.write(called ? shape.toolCallsFinishChunk(0, result) : shape.finishChunk(0, result));
        if (sendUsage) {
            byte[] usage = Json.write(shape.usageChunk(Usage.of(result)));
            departure.write(() -> sse.dataThenDone(finish, usage));
        } else {
            departure.write(() -> sse.dataThenDone(finish));
        }
    }

    /** A failure after the headers went out: one error frame, then [DONE]. */
    void fail(String message) throws ClientGoneException {
        requireOpen();
        state = State.ENDED;
        byte[] error = ApiErrors.body(ApiException.internal(message));
        departure.write(() -> sse.dataThenDone(error));
    }

    /** Ends the response, however it went. */
    void close() {
        state = State.ENDED;
        if (sse != null) {
            sse.close();
        }
        departure.done();
    }

    private void requireOpen() {
        if (state != State.OPEN) {
            throw new IllegalStateException("stream frame out of order: the stream is " + state);
        }
    }
}
