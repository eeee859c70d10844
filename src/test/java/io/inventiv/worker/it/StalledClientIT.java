package io.inventiv.worker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import io.helidon.webserver.testing.junit5.SetUpServer;
import io.inventiv.worker.TestModels;
import io.inventiv.worker.api.SlowClientGuard;
import io.inventiv.worker.config.ServerConfig;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A stream's text is written by the request's own thread, never by the slot's: a client that
 * pauses gets the rest complete and in order; a client that reads nothing holds no slot, so the
 * next request is served meanwhile; and it is disconnected after the send timeout (6 s here,
 * SEND_TIMEOUT_S). One slot, so a stream that kept its slot would hold up everything after it.
 *
 * <p>The server's socket send buffer is fixed small: left to the kernel, it grows to hundreds of
 * KB on loopback, more than this model's 900 tokens, and no write would ever block.
 */
@ServerTest
class StalledClientIT {
    static final ServerConfig CONFIG = TestModels.withSendTimeout(TestModels.config(TestModels.tinyQwen(), 1, 4), 6);
    static final SlowClientGuard GUARD = new SlowClientGuard(Duration.ofSeconds(20));
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI uri;
    private final RawHttp http;

    StalledClientIT(URI uri) {
        this.uri = uri;
        this.http = new RawHttp(uri);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        GUARD.install(server);
        // As the server's listener, with a small fixed send buffer.
        server.connectionOptions(options -> options.socketSendBufferSize(2048).tcpNoDelay(true)).useNio(false);
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        routing.addFilter(GUARD);
        TestModels.routing(routing, CONFIG, GUARD);
    }

    @Test
    void aClientThatPausesStillGetsEveryTokenInOrder() throws Exception {
        String body = "{\"prompt\":\"pause\",\"max_tokens\":900,\"ignore_eos\":true,\"temperature\":0";
        String whole = JSON.readTree(http.post("/v1/completions", body + "}").body())
                .path("choices").path(0).path("text").asText();
        try (SseSocket client = new SseSocket(uri, "/v1/completions", body + ",\"stream\":true}")) {
            Thread.sleep(4000);
            List<String> lines = client.linesUntil("data: [DONE]");
            assertEquals("data: [DONE]", lines.getLast(), "the stream ended properly");
            StringBuilder text = new StringBuilder();
            int completionTokens = -1;
            for (String line : lines) {
                if (line.startsWith("data: {")) {
                    JsonNode frame = JSON.readTree(line.substring(6));
                    text.append(frame.path("choices").path(0).path("text").asText(""));
                    if (frame.hasNonNull("usage")) {
                        completionTokens = frame.path("usage").path("completion_tokens").asInt();
                    }
                }
            }
            assertEquals(900, completionTokens);
            assertEquals(whole, text.toString(), "the same text as answered whole, in the same order");
        }
    }

    @Test
    void aClientThatReadsNothingHoldsNoSlotAndIsDisconnectedAfterTheSendTimeout() throws Exception {
        // 900 chunks of nearly 200 bytes: far more than the socket buffers hold.
        try (SseSocket stalled = new SseSocket(uri, "/v1/completions",
                "{\"prompt\":\"stall\",\"max_tokens\":900,\"ignore_eos\":true,\"stream\":true}", 4096)) {
            Thread.sleep(300); // admitted first
            var next = http.post("/v1/completions", "{\"prompt\":\"next\",\"max_tokens\":4,\"ignore_eos\":true}");
            assertEquals(200, next.statusCode(), next.body());
            assertEquals(4, JSON.readTree(next.body()).path("usage").path("completion_tokens").asInt());
            // The server's writes block within the first few KB; wait past the send timeout, and the
            // watch's one-second tick, before reading anything.
            Thread.sleep(TimeUnit.SECONDS.toMillis(CONFIG.sendTimeoutSeconds() + 2));
            List<String> cut = stalled.linesUntil("data: [DONE]");
            assertFalse(cut.contains("data: [DONE]"), "the stalled stream was cut, not finished");
        }
    }
}
