package io.inventiv.worker.api;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.inventiv.worker.api.SseWriter.ClientGoneException;
import io.inventiv.worker.api.protocol.CommonRequestFields;
import io.inventiv.worker.api.protocol.Usage;
import io.inventiv.worker.config.ServerConfig.StreamUsage;
import io.inventiv.worker.engine.Generation;
import io.inventiv.worker.engine.PreparedPrompt;
import io.inventiv.worker.engine.GenerationEvent;
import io.inventiv.worker.engine.GenerationResult;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Sends a running generation to its client, streamed or whole, and turns a vanished client into
 * a cancellation (like vLLM's {@code with_cancellation}): a slot must never keep generating for
 * nobody.
 */
final class GenerationResponder {
    /** How often an idle connection is probed: while queued, during prompt evaluation. */
    static final long PROBE_INTERVAL_MILLIS = Generation.QUIET_MILLIS;
    /**
     * A non-streamed answer that takes longer than this commits to 200 and sends JSON-neutral
     * whitespace while it waits, because writing is the only way to notice a client that left.
     */
    static final long WHOLE_RESPONSE_PROBE_AFTER_MILLIS = 1000;

    private GenerationResponder() {
    }

    /**
     * Queues the request, then streams or sends the answer whole, as the request asked; usage
     * goes into streams per the policy. A stream's text is written by the slot thread itself
     * (see {@link SseStream}).
     */
    static GenerationResult submitAndRespond(ServingContext serving, ServerRequest req, ServerResponse res,
            String requestId, PreparedPrompt prompt, ResponseShape shape, CommonRequestFields request)
            throws InterruptedException {
        if (!request.stream()) {
            return whole(res, serving.engine().submit(requestId, prompt, request.sampling()), shape);
        }
        String socketId = req.socketId();
        SseStream stream = new SseStream(res, shape, () -> serving.connections().close(socketId),
                serving.sendTimeout());
        Generation generation = serving.engine().submit(requestId, prompt, request.sampling(), stream);
        boolean usage = serving.streamUsage() == StreamUsage.ALWAYS || request.includeUsage();
        return stream(stream, generation, shape, usage);
    }

    /**
     * Streams: first chunk, deltas, finish chunk, optional usage chunk, [DONE]. A failure after the
     * headers went out becomes one error frame, then [DONE].
     */
    static GenerationResult stream(SseStream stream, Generation generation, ResponseShape shape,
            boolean sendUsage) throws InterruptedException {
        try {
            stream.begin();
            while (true) {
                GenerationEvent event = generation.next();
                switch (event) {
                    case GenerationEvent.Quiet quiet -> stream.ping();
                    // Only after a slow write: until then the slot thread writes the text itself.
                    case GenerationEvent.Delta delta -> stream.delta(delta.text());
                    case GenerationEvent.Finished finished -> {
                        Object finish = shape.finishChunk(finished.result());
                        if (sendUsage) {
                            stream.last(finish, shape.usageChunk(Usage.of(finished.result())));
                        } else {
                            stream.last(finish);
                        }
                        return finished.result();
                    }
                    case GenerationEvent.Failed failed -> {
                        stream.last(ApiErrors.body(internalError(failed.message())));
                        return null;
                    }
                }
            }
        } catch (ClientGoneException e) {
            generation.cancel();
            return null;
        } finally {
            stream.close();
        }
    }

    /** Collects the whole answer, then sends it as one JSON object. */
    static GenerationResult whole(ServerResponse res, Generation generation, ResponseShape shape)
            throws InterruptedException {
        StringBuilder text = new StringBuilder();
        long nextProbe = System.nanoTime() + WHOLE_RESPONSE_PROBE_AFTER_MILLIS * 1_000_000;
        OutputStream committed = null;
        try {
            while (true) {
                GenerationEvent event = generation.next();
                // Probe on a clock, not on silence: tokens may keep coming for a client long gone.
                if (System.nanoTime() >= nextProbe && !(event instanceof GenerationEvent.Finished)) {
                    if (committed == null) {
                        res.status(Status.OK_200);
                        res.header(HeaderNames.CONTENT_TYPE, "application/json");
                        committed = res.outputStream();
                    }
                    committed.write(' ');
                    committed.flush();
                    nextProbe = System.nanoTime() + PROBE_INTERVAL_MILLIS * 1_000_000;
                }
                switch (event) {
                    case GenerationEvent.Quiet quiet -> {
                    }
                    case GenerationEvent.Delta delta -> text.append(delta.text());
                    case GenerationEvent.Finished finished -> {
                        byte[] body = Json.write(shape.fullResponse(text.toString(), finished.result()));
                        send(res, committed, body);
                        return finished.result();
                    }
                    case GenerationEvent.Failed failed -> {
                        ApiException error = internalError(failed.message());
                        if (committed == null) {
                            ApiErrors.send(res, error);
                        } else {
                            send(res, committed, ApiErrors.body(error));
                        }
                        return null;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // Only writes can fail here, and only because the client closed the connection.
            generation.cancel();
            return null;
        }
    }

    private static void send(ServerResponse res, OutputStream committed, byte[] body) throws IOException {
        if (committed == null) {
            res.header(HeaderNames.CONTENT_TYPE, "application/json");
            res.send(body);
        } else {
            committed.write(body);
            committed.close();
        }
    }

    private static ApiException internalError(String message) {
        return new ApiException(Status.INTERNAL_SERVER_ERROR_500, message, null, null);
    }

}
