package io.inventiv.worker.it;

import static io.inventiv.worker.it.ErrorEnvelope.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import io.inventiv.worker.TestModels;
import io.inventiv.worker.config.ServerConfig;
import io.inventiv.worker.engine.Engine;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Slots and the waiting queue: one slot, one waiting place. Generations are slowed by fault
 * injection (20 ms a token, so 4000 tokens would take 80 s) and end because their clients leave.
 */
@ServerTest
class AdmissionIT {
    static final ServerConfig CONFIG = TestModels.config(TestModels.tinyQwen(), 1, 1, 4096, false, 20);
    private static final String LONG_STREAM = "{\"prompt\":\"hold the slot\",\"max_tokens\":4000,"
            + "\"ignore_eos\":true,\"stream\":true}";
    private static final String LONG_WHOLE = "{\"prompt\":\"hold the slot\",\"max_tokens\":4000,\"ignore_eos\":true}";

    private final URI uri;
    private final RawHttp http;
    private final Engine engine = TestModels.engine(CONFIG);

    AdmissionIT(URI uri) {
        this.uri = uri;
        this.http = new RawHttp(uri);
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        TestModels.routing(routing, CONFIG);
    }

    @Test
    void fullQueueAnswers503WithRetryAfterAndDisconnectsFreeTheSlot() throws Exception {
        try (SseSocket running = new SseSocket(uri, "/v1/completions", LONG_STREAM)) {
            assertEquals(200, running.status());
            running.readUntil("data: {");
            awaitTrue(() -> engine.running() == 1, "first request holds the slot");

            try (SseSocket queued = new SseSocket(uri, "/v1/completions", LONG_STREAM)) {
                assertEquals(200, queued.status());
                awaitTrue(() -> engine.waiting() == 1, "second request waits");

                HttpResponse<String> refused = http.post("/v1/completions", "{\"prompt\":\"x\",\"max_tokens\":1}");
                assertError(refused, 503);
                assertEquals("1", refused.headers().firstValue("retry-after").orElseThrow());

                running.close();
                queued.readUntil("data: {"); // the waiting request got the freed slot
                awaitTrue(() -> engine.waiting() == 0 && engine.running() == 1, "second request runs");
            }
        }
        awaitTrue(() -> engine.running() == 0 && engine.waiting() == 0, "both disconnects freed the slot");
        assertEquals(200, http.post("/v1/completions", "{\"prompt\":\"x\",\"max_tokens\":2}").statusCode());
    }

    @Test
    void nonStreamedClientThatLeavesAlsoFreesItsSlot() throws Exception {
        try (SseSocket whole = new SseSocket(uri, "/v1/completions", LONG_WHOLE)) {
            awaitTrue(() -> engine.running() == 1, "request holds the slot");
            // Past the point where the server starts probing the connection.
            Thread.sleep(1500);
            assertEquals(1, engine.running(), "4000 tokens take longer than this");
        }
        awaitTrue(() -> engine.running() == 0, "disconnect freed the slot");
        assertEquals(200, http.post("/v1/completions", "{\"prompt\":\"x\",\"max_tokens\":2}").statusCode());
    }

    @Test
    void queuedClientThatLeavesIsRemovedFromTheQueue() throws Exception {
        try (SseSocket running = new SseSocket(uri, "/v1/completions", LONG_STREAM)) {
            running.readUntil("data: {");
            try (SseSocket queued = new SseSocket(uri, "/v1/completions", LONG_STREAM)) {
                awaitTrue(() -> engine.waiting() == 1, "second request waits");
            }
            awaitTrue(() -> engine.waiting() == 0 && engine.running() == 1, "the leaver left the queue");
        }
        awaitTrue(() -> engine.running() == 0, "slot freed");
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting: " + what);
            Thread.sleep(10);
        }
    }
}
