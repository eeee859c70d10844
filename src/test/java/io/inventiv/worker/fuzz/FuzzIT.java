package io.inventiv.worker.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.webserver.WebServer;
import io.inventiv.worker.TestModels;
import io.inventiv.worker.config.ServerConfig;
import io.inventiv.worker.fuzz.FuzzBodies.FuzzRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * 10,000 generated hostile requests against the real server and model. After each one: no 5xx,
 * every error is an OpenAI envelope, and a canary request still gets its exact answer (so the
 * JVM, the slots and the model are all still fine). The seed is fixed: a failure replays, and
 * {@code -Dfuzz.seed=N -Dfuzz.cases=N} explore further. (jqwik was the first choice; its 1.10
 * release asks AI agents not to use it, so the generator is our own.)
 */
class FuzzIT {
    static final ServerConfig CONFIG = TestModels.config(TestModels.tinyQwen(), 2, 16, 256, false);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CANARY = "{\"prompt\":\"canary\",\"max_tokens\":3,\"temperature\":0,\"ignore_eos\":true}";

    private static WebServer server;
    private static HttpClient client;
    private static URI base;
    private static String canaryText;

    private static final long SEED = Long.getLong("fuzz.seed", 20261127L);
    private static final int CASES = Integer.getInteger("fuzz.cases", 10_000);

    @BeforeAll
    static void start() throws Exception {
        String target = System.getProperty("fuzz.target"); // e.g. a separate server process, to study a crash
        if (target != null) {
            base = URI.create(target);
        } else {
            server = WebServer.builder().host("127.0.0.1").port(0)
                    .routing(routing -> TestModels.routing(routing, CONFIG)).build().start();
            base = URI.create("http://127.0.0.1:" + server.port());
        }
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        canaryText = canary();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void hostileRequestsGetA4xxEnvelopeAndTheServerLivesOn() throws Exception {
        FuzzBodies bodies = new FuzzBodies(SEED);
        int from = Integer.getInteger("fuzz.from", 0);
        for (int i = 0; i < CASES; i++) {
            FuzzRequest fuzz = bodies.next();
            if (i < from) {
                continue; // replaying one stretch of the sequence
            }
            if (Boolean.getBoolean("fuzz.trace")) {
                // Straight to a file: a native crash loses what is buffered on stdout.
                java.nio.file.Files.writeString(java.nio.file.Path.of("target", "fuzz-trace.txt"),
                        "case " + i + ": " + fuzz + "\n", java.nio.file.StandardOpenOption.CREATE,
                        java.nio.file.StandardOpenOption.APPEND);
                System.gc(); // surfaces native memory damage next to the case that did it
            }
            try {
                sendAndCheck(fuzz);
            } catch (AssertionError | Exception e) {
                throw new AssertionError("case " + i + " of seed " + SEED + ": " + e.getMessage(), e);
            }
        }
    }

    private static void sendAndCheck(FuzzRequest fuzz) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(safePath(fuzz.path())))
                .timeout(Duration.ofSeconds(60))
                .method(fuzz.method(), HttpRequest.BodyPublishers.ofByteArray(fuzz.body()));
        if (!fuzz.contentType().isEmpty()) {
            request.header("Content-Type", fuzz.contentType());
        }
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        int status = response.statusCode();
        assertTrue(status < 500, "no 5xx for " + fuzz + "\n→ " + status + " " + response.body());
        if (status >= 400) {
            assertEnvelope(response, fuzz);
        }
        assertEquals(canaryText, canary(), "the canary still gets its answer after " + fuzz);
    }

    private static void assertEnvelope(HttpResponse<String> response, FuzzRequest fuzz) throws Exception {
        String where = fuzz + "\n→ " + response.statusCode() + " " + response.body();
        assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("application/json"), where);
        JsonNode error = JSON.readTree(response.body()).get("error");
        assertTrue(error != null && error.get("message").isTextual() && error.get("type").isTextual()
                && error.has("param") && error.get("code").asInt() == response.statusCode(), where);
    }

    private static String canary() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(base.resolve("/v1/completions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(CANARY)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        JsonNode body = JSON.readTree(response.body());
        assertEquals(3, body.get("usage").get("completion_tokens").asInt());
        return body.get("choices").get(0).get("text").asText();
    }

    /** java.net.URI refuses some raw paths; send those percent-encoded, which the server must handle too. */
    private static String safePath(String path) {
        return path.replace("%00", "%2500");
    }
}
