package io.inventiv.worker.tools.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny OpenAI-style server on 127.0.0.1 that streams canned completion frames at chosen
 * delays, so the bench client's parsing and timing can be checked without a model.
 */
final class FakeOpenAiServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    final List<JsonNode> completionBodies = new CopyOnWriteArrayList<>();
    final AtomicInteger metricsHits = new AtomicInteger();
    /** When each GET of /metrics or /v1/models arrived, in order, as "path nanoTime". */
    final List<String> sideHits = new CopyOnWriteArrayList<>();
    volatile long firstTokenDelayMillis = 60;
    volatile long tokenGapMillis = 20;
    volatile boolean tokenize = true;
    volatile boolean sendUsage = true;
    /** Every n-th completion (1-based) answers 503; 0 = never. */
    volatile int fail503Every;
    /** Completions hang after the first token (for timeout tests). */
    volatile boolean stallAfterFirstToken;
    private final AtomicInteger completions = new AtomicInteger();
    private final HttpServer server;

    FakeOpenAiServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "fake-openai");
            thread.setDaemon(true);
            return thread;
        }));
        server.createContext("/v1/models", exchange -> {
            sideHits.add("/v1/models " + System.nanoTime());
            send(exchange, 200, "{\"object\":\"list\",\"data\":[{\"id\":\"fake-model\",\"object\":\"model\"}]}");
        });
        server.createContext("/metrics", exchange -> {
            sideHits.add("/metrics " + System.nanoTime());
            metricsHits.incrementAndGet();
            send(exchange, 200, "# TYPE vllm:num_requests_running gauge\nvllm:num_requests_running 1.0\n");
        });
        server.createContext("/tokenize", this::tokenize);
        server.createContext("/v1/completions", this::complete);
        server.start();
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** One id per word: ids 1000, 1001, ... */
    private void tokenize(HttpExchange exchange) throws IOException {
        if (!tokenize) {
            send(exchange, 404, "{\"error\":{\"message\":\"not found\"}}");
            return;
        }
        JsonNode body = JSON.readTree(exchange.getRequestBody());
        String[] words = body.path("prompt").asText().strip().split("\\s+");
        StringBuilder ids = new StringBuilder("{\"count\":" + words.length + ",\"tokens\":[");
        for (int i = 0; i < words.length; i++) {
            ids.append(i == 0 ? "" : ",").append(1000 + i);
        }
        send(exchange, 200, ids.append("]}").toString());
    }

    private void complete(HttpExchange exchange) throws IOException {
        JsonNode body = JSON.readTree(exchange.getRequestBody());
        completionBodies.add(body);
        int number = completions.incrementAndGet();
        if (fail503Every > 0 && number % fail503Every == 0) {
            send(exchange, 503, "{\"error\":{\"message\":\"busy\",\"type\":\"ServiceUnavailableError\",\"code\":503}}");
            return;
        }
        int maxTokens = body.path("max_tokens").asInt(16);
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0); // chunked
        try (OutputStream out = exchange.getResponseBody()) {
            frame(out, ": ping\n\n");
            sleep(firstTokenDelayMillis);
            for (int i = 0; i < maxTokens; i++) {
                if (i > 0) {
                    if (stallAfterFirstToken) {
                        sleep(60_000);
                    }
                    sleep(tokenGapMillis);
                }
                frame(out, "data: {\"object\":\"text_completion\",\"choices\":[{\"index\":0,\"text\":\"t" + i
                        + "\",\"finish_reason\":null}]}\n\n");
            }
            frame(out, "data: {\"choices\":[{\"index\":0,\"text\":\"\",\"finish_reason\":\"length\"}]}\n\n");
            if (sendUsage) {
                frame(out, "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":" + body.path("prompt").size()
                        + ",\"completion_tokens\":" + maxTokens + ",\"total_tokens\":0}}\n\n");
            }
            frame(out, "data: [DONE]\n\n");
        } catch (IOException e) {
            // the client went away (timeout tests)
        }
    }

    private static void frame(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
