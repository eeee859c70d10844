package io.inventiv.worker.api;

import io.helidon.webserver.http.ServerResponse;
import io.inventiv.worker.api.protocol.CommonRequestFields;
import io.inventiv.worker.api.protocol.Usage;
import io.inventiv.worker.config.ServerConfig.StreamUsage;
import io.inventiv.worker.engine.Generation;
import io.inventiv.worker.engine.GenerationEvent;
import io.inventiv.worker.engine.GenerationResult;
import io.inventiv.worker.engine.PreparedPrompt;
import io.inventiv.worker.engine.TokenLogprob;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An n &gt; 1 request: its choices run side by side, sharing one evaluation of the prompt, and
 * answer as one response whose every choice and chunk carries its {@code index}. A failure of one
 * choice ends them all.
 */
final class ChoicesResponder {
    private ChoicesResponder() {
    }

    static GenerationResult respond(ServingContext serving, ServerResponse res, String requestId, PreparedPrompt prompt,
            ResponseShape shape, CommonRequestFields request, ClientDeparture departure) throws InterruptedException {
        int n = request.n();
        List<Generation> choices = serving.engine().submitChoices(requestId, prompt, request.sampling(), n);
        choices.forEach(departure::attach);
        ChoiceEvents events = new ChoiceEvents(choices);
        if (!request.stream()) {
            return whole(new WholeResponse(res, departure), events, shape, n, request.sampling().logprobs() != null,
                    departure);
        }
        boolean usage = serving.streamUsage() == StreamUsage.ALWAYS || request.includeUsage();
        return stream(new SseStream(res, shape, usage, departure, n), events, n);
    }

    private static GenerationResult stream(SseStream stream, ChoiceEvents events, int n) throws InterruptedException {
        GenerationResult[] results = new GenerationResult[n];
        try {
            stream.open();
            while (events.hasOpen()) {
                ChoiceEvents.Tagged tagged = events.next();
                switch (tagged.event()) {
                    case GenerationEvent.Quiet quiet -> stream.ping();
                    case GenerationEvent.Delta delta -> stream.delta(tagged.index(), delta.text(), delta.logprobs());
                    case GenerationEvent.Finished finished -> {
                        results[tagged.index()] = finished.result();
                        stream.choiceEnd(tagged.index(), finished.result());
                    }
                    case GenerationEvent.Failed failed -> {
                        events.cancelAll();
                        stream.fail(failed.message());
                        return null;
                    }
                }
            }
            stream.done(Usage.of(Arrays.asList(results)));
            return combined(results);
        } catch (ClientGoneException e) {
            return null; // the departure has cancelled every choice
        } finally {
            stream.close();
        }
    }

    private static GenerationResult whole(WholeResponse response, ChoiceEvents events, ResponseShape shape, int n,
            boolean wantsLogprobs, ClientDeparture departure) throws InterruptedException {
        StringBuilder[] texts = new StringBuilder[n];
        List<List<TokenLogprob>> logprobs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            texts[i] = new StringBuilder();
            logprobs.add(wantsLogprobs ? new ArrayList<>() : null);
        }
        GenerationResult[] results = new GenerationResult[n];
        try {
            while (events.hasOpen()) {
                ChoiceEvents.Tagged tagged = events.next();
                response.probeIfDue();
                switch (tagged.event()) {
                    case GenerationEvent.Quiet quiet -> {
                    }
                    case GenerationEvent.Delta delta -> {
                        texts[tagged.index()].append(delta.text());
                        if (wantsLogprobs) {
                            logprobs.get(tagged.index()).addAll(delta.logprobs());
                        }
                    }
                    case GenerationEvent.Finished finished -> results[tagged.index()] = finished.result();
                    case GenerationEvent.Failed failed -> {
                        events.cancelAll();
                        response.fail(failed.message());
                        return null;
                    }
                }
            }
            List<ResponseShape.ChoiceOutcome> outcomes = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                outcomes.add(new ResponseShape.ChoiceOutcome(texts[i].toString(), results[i], logprobs.get(i)));
            }
            response.send(shape.fullResponse(outcomes, Usage.of(Arrays.asList(results))));
            return combined(results);
        } catch (ClientGoneException e) {
            return null;
        } finally {
            departure.done();
        }
    }

    /** The request's accounting for its log line: the first choice's, with every choice's tokens. */
    private static GenerationResult combined(GenerationResult[] results) {
        GenerationResult first = results[0];
        int completion = Arrays.stream(results).mapToInt(GenerationResult::completionTokens).sum();
        return new GenerationResult(first.promptTokens(), completion, first.finishReason(), first.stopString(),
                first.maxTokens(), first.queuedAtNanos(), first.startedAtNanos(), first.firstTokenAtNanos(),
                first.finishedAtNanos(), first.cachedTokens());
    }
}
