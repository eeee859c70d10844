package io.inventiv.worker.api;

import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.inventiv.worker.api.protocol.CommonRequestFields;
import io.inventiv.worker.api.protocol.Usage;
import io.inventiv.worker.config.ServerConfig.StreamUsage;
import io.inventiv.worker.engine.Generation;
import io.inventiv.worker.engine.PreparedPrompt;
import io.inventiv.worker.engine.GenerationEvent;
import io.inventiv.worker.engine.GenerationResult;
import io.inventiv.worker.engine.TokenLogprob;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends a running generation to its client, streamed ({@link SseStream} owns the frames) or whole;
 * a client that leaves is noticed by its {@link ClientDeparture}, which cancels the generation.
 */
final class GenerationResponder {
    /** How often an idle connection is probed: while queued, during prompt evaluation. */
    static final long PROBE_INTERVAL_MILLIS = Generation.QUIET_MILLIS;

    private GenerationResponder() {
    }

    /**
     * Queues the request, then streams or sends the answer whole, as the request asked;
     * {@code fault}, when not null, breaks the response after some pieces ({@code abort-after}).
     */
    static GenerationResult submitAndRespond(ServingContext serving, ServerRequest req, ServerResponse res,
            String requestId, PreparedPrompt prompt, ResponseShape shape, CommonRequestFields request,
            InjectedFault fault) throws InterruptedException {
        String socketId = req.socketId();
        Runnable closeConnection = () -> serving.connections().close(socketId);
        ClientDeparture departure = new ClientDeparture(closeConnection, serving.sendTimeout());
        if (request.n() > 1) {
            if (fault != null) {
                throw ApiException.badRequest("abort-after breaks the stream of one choice; with n > 1 use status=… "
                        + "or hang=….", "X-Fault");
            }
            return ChoicesResponder.respond(serving, res, requestId, prompt, shape, request, departure);
        }
        LatencyShaper shaper = serving.controls().shaper(System.nanoTime(), prompt.length(), serving.engine()::running);
        Generation generation = serving.engine().submit(requestId, prompt, request.sampling(), shaper != null);
        departure.attach(generation);
        Breaker breaker = fault == null ? null : new Breaker(fault, generation, closeConnection);
        Runnable turn = shaper == null ? null : () -> serving.controls().awaitTurn(shaper);
        GenerationResult result = null;
        try {
            if (!request.stream()) {
                result = whole(res, generation, shape, departure, request.sampling().logprobs() != null, breaker,
                        turn);
            } else {
                boolean usage = serving.streamUsage() == StreamUsage.ALWAYS || request.includeUsage();
                result = stream(new SseStream(res, shape, usage, departure), generation, breaker, turn);
            }
            return result;
        } finally {
            if (shaper != null) {
                serving.controls().ended(shaper, result != null);
            }
        }
    }

    /**
     * Streams the generation's events as they come; null when it did not finish for its client.
     * {@code turn}, when latency shaping is on, waits until the next piece is due.
     */
    static GenerationResult stream(SseStream stream, Generation generation, Breaker breaker, Runnable turn)
            throws InterruptedException {
        try {
            stream.open();
            while (true) {
                switch (generation.next()) {
                    case GenerationEvent.Quiet quiet -> stream.ping();
                    case GenerationEvent.Delta delta -> {
                        if (turn != null) {
                            turn.run();
                        }
                        stream.delta(0, delta.text(), delta.logprobs());
                        if (breaker != null && breaker.breaksAfterPiece()) {
                            if (breaker.errorFrame()) {
                                stream.fail(breaker.message());
                            }
                            return null;
                        }
                    }
                    case GenerationEvent.Finished finished -> {
                        stream.finish(finished.result());
                        return finished.result();
                    }
                    case GenerationEvent.Failed failed -> {
                        stream.fail(failed.message());
                        return null;
                    }
                }
            }
        } catch (ClientGoneException e) {
            return null; // the departure has cancelled the generation
        } finally {
            stream.close();
        }
    }

    /** Collects the whole answer, then sends it as one JSON object. */
    private static GenerationResult whole(ServerResponse res, Generation generation, ResponseShape shape,
            ClientDeparture departure, boolean wantsLogprobs, Breaker breaker, Runnable turn)
            throws InterruptedException {
        StringBuilder text = new StringBuilder();
        List<TokenLogprob> logprobs = wantsLogprobs ? new ArrayList<>() : null;
        WholeResponse response = new WholeResponse(res, departure);
        try {
            while (true) {
                GenerationEvent event = generation.next();
                if (!(event instanceof GenerationEvent.Finished)) {
                    response.probeIfDue();
                }
                switch (event) {
                    case GenerationEvent.Quiet quiet -> {
                    }
                    case GenerationEvent.Delta delta -> {
                        if (turn != null) {
                            turn.run();
                        }
                        text.append(delta.text());
                        if (logprobs != null) {
                            logprobs.addAll(delta.logprobs());
                        }
                        if (breaker != null && breaker.breaksAfterPiece()) {
                            if (breaker.errorFrame()) {
                                response.fail(breaker.message());
                            }
                            return null;
                        }
                    }
                    case GenerationEvent.Finished finished -> {
                        response.send(shape.fullResponse(List.of(new ResponseShape.ChoiceOutcome(text.toString(),
                                finished.result(), logprobs)), Usage.of(finished.result())));
                        return finished.result();
                    }
                    case GenerationEvent.Failed failed -> {
                        response.fail(failed.message());
                        return null;
                    }
                }
            }
        } catch (ClientGoneException e) {
            return null; // the departure has cancelled the generation
        } finally {
            departure.done();
        }
    }
}
