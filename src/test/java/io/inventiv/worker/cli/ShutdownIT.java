package io.inventiv.worker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.inventiv.worker.Main;
import io.inventiv.worker.engine.binding.GpuOffload;
import io.inventiv.worker.TestModels;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real process: it listens before the model is loaded, echoes X-Request-Id into one
 * access-log line per request, and on SIGTERM finishes the running stream, refuses new work and
 * exits with 0 (which the binding's native thread would otherwise prevent).
 */
class ShutdownIT {
    @TempDir
    Path dir;

    @Test
    void sigtermDrainsTheRunningStreamThenExitsZero() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path log = dir.resolve("server.log");
        ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "-Dde.kherud.llama.tmpdir=" + Path.of("target", "jllama-shutdown").toAbsolutePath(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("MODEL_PATH", TestModels.tinyQwen().toAbsolutePath().toString());
        builder.environment().put("ENGINE", TestModels.ENGINE);
        builder.environment().put("PORT", Integer.toString(port));
        builder.environment().put("HOST", "127.0.0.1");
        builder.environment().put("N_PARALLEL", "1");
        builder.environment().remove("N_GPU_LAYERS");
        builder.environment().put("N_CTX", "512");
        builder.environment().put("FAULT_TOKEN_DELAY_MS", "20");
        builder.environment().put("DRAIN_TIMEOUT_S", "30");
        builder.environment().put("STARTUP_DELAY_S", "3");
        long startedAt = System.nanoTime();
        Process server = builder.start();
        try {
            URI base = URI.create("http://127.0.0.1:" + port);
            long loadingMillis = awaitHealthy(base, server);
            long readyAfterMillis = (System.nanoTime() - startedAt) / 1_000_000;
            assertTrue(loadingMillis > 0 && readyAfterMillis >= 3000, "STARTUP_DELAY_S=3: 503 for " + loadingMillis
                    + " ms, ready " + readyAfterMillis + " ms after the start");

            List<String> frames = new ArrayList<>();
            try (Socket socket = new Socket("127.0.0.1", port)) {
                byte[] body = "{\"prompt\":\"drain me\",\"max_tokens\":100,\"ignore_eos\":true,\"stream\":true}"
                        .getBytes(StandardCharsets.UTF_8);
                OutputStream out = socket.getOutputStream();
                out.write(("POST /v1/completions HTTP/1.1\r\nHost: x\r\nX-Request-Id: drain-test-42\r\n"
                        + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                        StandardCharsets.UTF_8));
                String line;
                while ((line = in.readLine()) != null && !line.startsWith("data: {")) {
                    if (line.toLowerCase().startsWith("x-request-id:")) {
                        assertEquals("drain-test-42", line.substring(13).trim());
                    }
                }
                server.destroy(); // SIGTERM, with 100 tokens at 20 ms still to come
                Thread.sleep(300);
                int refused = statusOrRefused(base);
                assertTrue(refused == 503 || refused == -1, "new work is refused while draining: " + refused);
                while ((line = in.readLine()) != null) {
                    if (line.startsWith("data: ")) {
                        frames.add(line);
                    }
                    if (line.equals("data: [DONE]")) {
                        break;
                    }
                }
            }
            assertEquals("data: [DONE]", frames.getLast(), "the stream ran to its end");
            assertTrue(frames.get(frames.size() - 2).contains("\"completion_tokens\":100"), frames.toString());
            assertTrue(server.waitFor(30, TimeUnit.SECONDS), "the process exits by itself");
            assertEquals(0, server.exitValue());
            String output = Files.readString(log);
            assertTrue(output.indexOf("listening on") < output.indexOf("model loaded"),
                    "the listener is up before the model is loaded:\n" + output);
            // N_GPU_LAYERS is left at auto: the start line names the engine and what its library offers.
            assertTrue(output.contains(TestModels.ENGINE.equals("native") ? "; engine native (llama.cpp "
                    : "; " + GpuOffload.resolve(-1).describe()), output);
            assertTrue(output.matches("(?s).*request_id=drain-test-42 method=POST path=/v1/completions status=200 ms=\\d+ "
                    + "prompt_tokens=\\d+ completion_tokens=100 finish_reason=length.*"), output);
        } finally {
            server.destroyForcibly();
        }
    }

    /** Waits for /health to answer 200; returns how long it answered 503 before that, in ms. */
    private static long awaitHealthy(URI base, Process server) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        long firstUnavailable = 0;
        int status;
        while ((status = statusOrRefused(base)) != 200) {
            if (status == 503 && firstUnavailable == 0) {
                firstUnavailable = System.nanoTime();
                String body = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        base.resolve("/health")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
                assertTrue(body.contains("STARTUP_DELAY_S holds the load"), "the 503 says why: " + body);
            }
            assertTrue(server.isAlive(), "server died during start-up");
            assertTrue(System.nanoTime() < deadline, "server never became healthy");
            Thread.sleep(20);
        }
        return firstUnavailable == 0 ? 0 : (System.nanoTime() - firstUnavailable) / 1_000_000;
    }

    private static int statusOrRefused(URI base) throws InterruptedException {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve("/health")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        }
    }
}
