package io.inventiv.worker.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The bench's HTTP client against a scripted server: each framing, keep-alive and its limits. */
class LoopbackHttpTest {
    private ScriptedServer server;

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void chunkedBodyWithExtensionsAndTrailersIsDecodedAndTheConnectionReused() throws Exception {
        server = new ScriptedServer(List.of(
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "6;ext=1\r\ndata: \r\n3\r\nabc\r\n0\r\nX-Trailer: t\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"));
        LoopbackHttp http = new LoopbackHttp(server.base(), Duration.ofSeconds(2));
        try (LoopbackHttp.Response first = http.postJson("/v1/completions", "{\"a\":1}", "text/event-stream",
                Duration.ofSeconds(5))) {
            assertEquals(200, first.status());
            assertEquals("data: abc", first.text());
        }
        try (LoopbackHttp.Response second = http.get("/v1/models", Duration.ofSeconds(5))) {
            assertEquals("hello", second.text());
        }
        assertEquals(1, server.connections.get(), "keep-alive: both requests on one connection");
        String firstRequest = server.requests.get(0);
        assertTrue(firstRequest.startsWith("POST /v1/completions HTTP/1.1\r\n"), firstRequest);
        assertTrue(firstRequest.contains("Content-Length: 7\r\n"), firstRequest);
        assertTrue(firstRequest.endsWith("\r\n\r\n{\"a\":1}"), firstRequest);
    }

    @Test
    void framesOfAStreamAreReadableAsTheyArriveNotWhenTheBodyEnds() throws Exception {
        LoopbackHttp http = answerInHeldParts("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "9\r\ndata: 1\n\n\r\n", "9\r\ndata: 2\n\n\r\n0\r\n\r\n");
        try (LoopbackHttp.Response response = http.get("/stream", Duration.ofSeconds(5))) {
            BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
            assertEquals("data: 1", lines.readLine(), "the first frame, while the server still holds the second");
            assertEquals("", lines.readLine());
            server.release.put(true);
            assertEquals("data: 2", lines.readLine());
            assertEquals("", lines.readLine());
            assertEquals(null, lines.readLine());
        }
    }

    @Test
    void bodyWithoutLengthEndsAtCloseAndAnIdleConnectionClosedByTheServerIsReplaced() throws Exception {
        server = new ScriptedServer(List.of("HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\nno",
                "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil close"));
        server.closeAfterEachAnswer = true; // the pooled connection is dead when reused
        LoopbackHttp http = new LoopbackHttp(server.base(), Duration.ofSeconds(2));
        try (LoopbackHttp.Response first = http.get("/a", Duration.ofSeconds(5))) {
            assertEquals(404, first.status());
            assertEquals("no", first.text());
        }
        try (LoopbackHttp.Response second = http.get("/b", Duration.ofSeconds(5))) {
            assertEquals(200, second.status());
            assertEquals("until close", second.text());
        }
        assertEquals(2, server.connections.get());
    }

    @Test
    void aBodyCutShortIsAnErrorNotATruncatedSuccess() throws Exception {
        server = new ScriptedServer(List.of("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort"));
        server.closeAfterEachAnswer = true;
        LoopbackHttp http = new LoopbackHttp(server.base(), Duration.ofSeconds(2));
        try (LoopbackHttp.Response response = http.get("/", Duration.ofSeconds(5))) {
            assertThrows(IOException.class, response::text);
        }
    }

    @Test
    void anAnswerThatStallsInItsHeadersFailsAsATimeoutAndIsNotSentAgain() throws Exception {
        // the first part is empty: no byte until released
        LoopbackHttp http = answerInHeldParts("", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        long start = System.nanoTime();
        SocketTimeoutException e = assertThrows(SocketTimeoutException.class,
                () -> http.get("/slow", Duration.ofMillis(300)));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis >= 250 && millis < 5000, "failed after " + millis + " ms");
        assertTrue(e.getMessage().contains("300 ms"), e.getMessage());
        assertEquals(1, server.requests.size(), "a slow server is not asked twice");
    }

    @Test
    void aBodyThatStallsPastTheDeadlineFailsAsATimeout() throws Exception {
        LoopbackHttp http = answerInHeldParts("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "9\r\ndata: 1\n\n\r\n", "0\r\n\r\n");
        try (LoopbackHttp.Response response = http.get("/stream", Duration.ofMillis(400))) {
            byte[] first = new byte[64];
            assertEquals(9, response.body().read(first), "the first frame arrives in time");
            assertThrows(SocketTimeoutException.class, () -> response.body().read(first));
        }
    }

    /** A client of a server that answers with these parts, each after the first held until released. */
    private LoopbackHttp answerInHeldParts(String... parts) throws IOException {
        server = new ScriptedServer(List.of(parts));
        server.holdBetweenParts = true;
        return new LoopbackHttp(server.base(), Duration.ofSeconds(2));
    }

    /**
     * Answers each request with the next scripted text. With {@link #holdBetweenParts}, the texts
     * are instead the parts of one answer, and each part after the first waits for {@link #release}.
     */
    private static final class ScriptedServer implements AutoCloseable {
        final AtomicInteger connections = new AtomicInteger();
        final List<String> requests = new CopyOnWriteArrayList<>();
        final BlockingQueue<Boolean> release = new LinkedBlockingQueue<>();
        volatile boolean holdBetweenParts;
        volatile boolean closeAfterEachAnswer;
        private final ServerSocket socket = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        private final List<String> answers;

        ScriptedServer(List<String> answers) throws IOException {
            this.answers = answers;
            Thread.ofPlatform().daemon().start(this::acceptLoop);
        }

        URI base() {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }

        private void acceptLoop() {
            int next = 0;
            while (!socket.isClosed()) {
                try (Socket connection = socket.accept()) {
                    connections.incrementAndGet();
                    OutputStream out = connection.getOutputStream();
                    while (next < answers.size()) {
                        String request = readRequest(connection);
                        if (request == null) {
                            break;
                        }
                        requests.add(request);
                        if (holdBetweenParts) {
                            for (int part = 0; part < answers.size(); part++) {
                                if (part > 0) {
                                    release.take();
                                }
                                out.write(answers.get(part).getBytes(StandardCharsets.UTF_8));
                                out.flush();
                            }
                            next = answers.size();
                        } else {
                            out.write(answers.get(next++).getBytes(StandardCharsets.UTF_8));
                            out.flush();
                        }
                        if (closeAfterEachAnswer) {
                            break;
                        }
                    }
                } catch (IOException | InterruptedException e) {
                    return;
                }
            }
        }

        /** Head and Content-Length body of one request, or null when the client closed. */
        private static String readRequest(Socket connection) throws IOException {
            var in = connection.getInputStream();
            StringBuilder text = new StringBuilder();
            while (!text.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    return null;
                }
                text.append((char) b);
            }
            int length = 0;
            for (String line : text.toString().split("\r\n")) {
                if (line.toLowerCase().startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
            }
            text.append(new String(in.readNBytes(length), StandardCharsets.UTF_8));
            return text.toString();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
