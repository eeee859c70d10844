package io.inventiv.worker.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import io.inventiv.worker.api.protocol.Usage;
import io.inventiv.worker.engine.FinishReason;
import io.inventiv.worker.engine.GenerationResult;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The order of a stream's frames, over a real socket: what a client reads, byte for byte. */
@ServerTest
class SseStreamTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final GenerationResult RESULT =
            new GenerationResult(3, 2, FinishReason.STOP, null, 16, 0, 0, 0, 0);

    /** A shape with small, readable chunks; chat-like when {@code role} is set. */
    private record PlainShape(String role) implements ResponseShape {
        @Override
        public Object firstChunk(int index) {
            return role == null ? null : Map.of("role", role);
        }

        @Override
        public Object deltaChunk(String text) {
            return Map.of("text", text);
        }

        @Override
        public Object deltaChunk(int index, String text, java.util.List<io.inventiv.worker.engine.TokenLogprob> logprobs,
                int textOffset) {
            return Map.of("index", index, "text", text, "offset", textOffset);
        }

        @Override
        public Object finishChunk(int index, GenerationResult result) {
            return Map.of("finish_reason", result.finishReason().wireName());
        }

        @Override
        public Object usageChunk(Usage usage) {
            return Map.of("total_tokens", usage.totalTokens());
        }

        @Override
        public Object fullResponse(java.util.List<ChoiceOutcome> choices, Usage usage) {
            throw new UnsupportedOperationException("streams only");
        }
    }

    /** The steps a handler takes on its stream. */
    @FunctionalInterface
    private interface Script {
        void play(SseStream stream) throws ClientGoneException;
    }

    private final URI uri;

    SseStreamTest(URI uri) {
        this.uri = uri;
    }

    private static void route(HttpRouting.Builder routing, String path, String role, boolean usage, Script script) {
        routing.get(path, (req, res) -> {
            SseStream stream = stream(res, role, usage);
            try {
                script.play(stream);
            } catch (ClientGoneException e) {
                // the test client reads everything
            } finally {
                stream.close();
            }
        });
    }

    private static SseStream stream(ServerResponse res, String role, boolean usage) {
        return new SseStream(res, new PlainShape(role), usage, new ClientDeparture(() -> { }, Duration.ofSeconds(30)));
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        route(routing, "/chat", "assistant", true, stream -> {
            stream.open();
            stream.ping();
            stream.delta(0, "Hel", java.util.List.of());
            stream.delta(0, "lo", java.util.List.of());
            stream.finish(RESULT);
        });
        route(routing, "/completion", null, false, stream -> {
            stream.open();
            stream.delta(0, "x", java.util.List.of());
            stream.finish(RESULT);
        });
        route(routing, "/failed", "assistant", true, stream -> {
            stream.open();
            stream.delta(0, "par", java.util.List.of());
            stream.fail("generation failed: out of memory");
        });
        routing.get("/out-of-order", (req, res) -> {
            SseStream stream = stream(res, null, true);
            String refused;
            try {
                stream.delta(0, "too early", java.util.List.of());
                refused = "nothing";
            } catch (IllegalStateException e) {
                refused = e.getMessage();
            } finally {
                stream.close();
            }
            res.send(refused);
        });
    }

    private HttpResponse<String> get(String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(uri.resolve(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aChatStreamOpensWithItsRoleAndEndsWithFinishUsageAndDone() throws Exception {
        HttpResponse<String> response = get("/chat");
        assertEquals("text/event-stream", response.headers().firstValue("Content-Type").orElse(""));
        assertEquals("no-cache", response.headers().firstValue("Cache-Control").orElse(""));
        assertEquals("""
                data: {"role":"assistant"}

                : ping

                data: {"text":"Hel"}

                data: {"text":"lo"}

                data: {"finish_reason":"stop"}

                data: {"total_tokens":5}

                data: [DONE]

                """, response.body());
    }

    @Test
    void aCompletionStreamOpensWithAPingAndSendsNoUsageUnlessAsked() throws Exception {
        assertEquals("""
                : ping

                data: {"text":"x"}

                data: {"finish_reason":"stop"}

                data: [DONE]

                """, get("/completion").body());
    }

    @Test
    void aFailureAfterTheHeadersIsOneErrorFrameThenDone() throws Exception {
        assertEquals("""
                data: {"role":"assistant"}

                data: {"text":"par"}

                data: {"error":{"message":"generation failed: out of memory","type":"InternalServerError",\
                "param":null,"code":500}}

                data: [DONE]

                """, get("/failed").body());
    }

    @Test
    void aFrameBeforeTheStreamIsOpenIsAProgrammingError() throws Exception {
        HttpResponse<String> response = get("/out-of-order");
        assertEquals(200, response.statusCode());
        assertEquals("stream frame out of order: the stream is NEW", response.body());
    }
}
