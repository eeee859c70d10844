package io.inventiv.worker.tools.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A small blocking HTTP/1.1 client for the bench, with a pool of keep-alive connections.
 *
 * <p>Why not {@code java.net.http.HttpClient}: every wake-up of the client takes a core from
 * llama.cpp's threads, and the JDK client wakes two threads per frame, its selector thread and
 * then the reading thread (docs/DECISIONS.md, "Bench client"). Here the thread that asked reads
 * its own socket: one wake-up per frame, as in the raw in-process baseline, which the server is
 * compared with. Loopback only (see {@link LoopbackUrl}), so there is no TLS, proxy or redirect
 * to handle.
 *
 * <p>Timeouts are deadlines: a timer closes the socket of a connect or an exchange that outlives
 * its time, which ends the blocked read. A socket read timeout ({@code SO_TIMEOUT}) would instead
 * turn the socket non-blocking for good, and every read of a frame would then cost three system
 * calls (a read that finds nothing, a poll, the read), not one.
 */
public final class LoopbackHttp {
    private static final int MAX_HEADER_BYTES = 64 * 1024;
    /** One thread for every client's deadlines; it wakes only when one expires. */
    private static final ScheduledExecutorService DEADLINES = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("bench-http-deadline").factory());

    private final String host;
    private final int port;
    private final Duration connectTimeout;
    private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();

    public LoopbackHttp(URI base, Duration connectTimeout) {
        this.host = base.getHost();
        this.port = base.getPort() > 0 ? base.getPort() : 80;
        this.connectTimeout = connectTimeout;
    }

    /** A GET that, body included, must end within {@code timeout}. */
    public Response get(String path, Duration timeout) throws IOException {
        return send("GET", path, null, null, timeout);
    }

    /** A POST of JSON that, body included, must end within {@code timeout}. */
    public Response postJson(String path, String json, String accept, Duration timeout) throws IOException {
        return send("POST", path, json.getBytes(StandardCharsets.UTF_8), accept, timeout);
    }

    /**
     * Sends one request and returns once the status line and headers are read. The caller must
     * close the response; a body read to its end gives the connection back to the pool. Past
     * {@code timeout} from now, reads fail with a {@link SocketTimeoutException}.
     */
    private Response send(String method, String path, byte[] body, String accept, Duration timeout)
            throws IOException {
        byte[] head = requestHead(method, path, body, accept);
        Connection pooled = idle.pollFirst();
        if (pooled != null) {
            try {
                return pooled.exchange(head, body, timeout);
            } catch (StaleConnection e) {
                pooled.close(); // the server closed it while idle: the request never reached it
            }
        }
        Connection fresh = new Connection();
        try {
            return fresh.exchange(head, body, timeout);
        } catch (StaleConnection e) {
            fresh.close();
            throw new IOException("the server closed the connection without answering", e);
        }
    }

    private byte[] requestHead(String method, String path, byte[] body, String accept) {
        StringBuilder head = new StringBuilder(256).append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(host).append(':').append(port).append("\r\n");
        if (accept != null) {
            head.append("Accept: ").append(accept).append("\r\n");
        }
        if (body != null) {
            head.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
        }
        return head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** A response: status, headers (lower-case names) and a body that ends where HTTP says. */
    public static final class Response implements Closeable {
        private final int status;
        private final Map<String, String> headers;
        private final HttpBody body;

        private Response(int status, Map<String, String> headers, HttpBody body) {
            this.status = status;
            this.headers = headers;
            this.body = body;
        }

        public int status() {
            return status;
        }

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public InputStream body() {
            return body;
        }

        /** The whole body as text (for small answers such as /v1/models). */
        public String text() throws IOException {
            return new String(body.readAllBytes(), StandardCharsets.UTF_8);
        }

        @Override
        public void close() {
            body.close();
        }
    }

    /** Thrown when a connection fails before any byte of an answer: safe to retry once. */
    private static final class StaleConnection extends IOException {
        StaleConnection(Throwable cause) {
            super(cause);
        }
    }

    private final class Connection implements HttpBody.Source {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        /** The running exchange's deadline; null between exchanges. Guarded by this. */
        private ScheduledFuture<?> deadline;
        /** Counts arm and disarm calls, so that a deadline that fires late does nothing. Guarded by this. */
        private long armings;
        private volatile Duration expiredAfter;

        Connection() throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            arm(connectTimeout);
            try {
                // untimed, as the reads: a timed connect would make the socket non-blocking too
                socket.connect(new InetSocketAddress(host, port));
            } catch (IOException e) {
                throw explained(e);
            } finally {
                disarm();
            }
            in = new DeadlineInput(new BufferedInputStream(socket.getInputStream(), 16 * 1024));
            out = socket.getOutputStream();
        }

        Response exchange(byte[] head, byte[] body, Duration timeout) throws IOException {
            arm(timeout);
            String statusLine;
            try {
                byte[] request = body == null ? head : concat(head, body);
                out.write(request);
                out.flush();
                statusLine = readLine();
            } catch (IOException e) {
                IOException why = explained(e);
                if (why instanceof SocketTimeoutException) {
                    close(); // the server is slow, not gone: sending the request again would not help
                    throw why;
                }
                disarm();
                throw new StaleConnection(e);
            }
            if (statusLine == null) {
                disarm();
                throw new StaleConnection(null);
            }
            try {
                return readResponse(statusLine);
            } catch (IOException | RuntimeException e) {
                close();
                throw e;
            }
        }

        private synchronized void arm(Duration timeout) {
            expiredAfter = null;
            long arming = ++armings;
            deadline = DEADLINES.schedule(() -> expire(arming, timeout), timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        private synchronized void disarm() {
            armings++;
            if (deadline != null) {
                deadline.cancel(false);
                deadline = null;
            }
        }

        private void expire(long arming, Duration timeout) {
            synchronized (this) {
                if (arming != armings) {
                    return; // the exchange ended meanwhile
                }
                expiredAfter = timeout;
            }
            close();
        }

        /** The failure of a read or connect, named a timeout when the deadline closed the socket. */
        private IOException explained(IOException e) {
            Duration after = expiredAfter;
            if (after == null || e instanceof SocketTimeoutException) {
                return e;
            }
            SocketTimeoutException timeout = new SocketTimeoutException("no complete answer within " + after.toMillis()
                    + " ms");
            timeout.initCause(e);
            return timeout;
        }

        /** Reads that name a timeout as such: the deadline ends them by closing the socket. */
        private final class DeadlineInput extends FilterInputStream {
            DeadlineInput(InputStream in) {
                super(in);
            }

            @Override
            public int read() throws IOException {
                try {
                    return super.read();
                } catch (IOException e) {
                    throw explained(e);
                }
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                try {
                    return super.read(buffer, offset, length);
                } catch (IOException e) {
                    throw explained(e);
                }
            }
        }

        private Response readResponse(String statusLine) throws IOException {
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP/1.x status line: " + statusLine);
            }
            int status = Integer.parseInt(parts[1]);
            Map<String, String> headers = new HashMap<>();
            int headerBytes = 0;
            for (String line = readLine(); line != null && !line.isEmpty(); line = readLine()) {
                headerBytes += line.length();
                if (headerBytes > MAX_HEADER_BYTES) {
                    throw new IOException("response headers over " + MAX_HEADER_BYTES + " bytes");
                }
                int colon = line.indexOf(':');
                if (colon > 0) {
                    headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                            line.substring(colon + 1).trim());
                }
            }
            boolean keepAlive = !"close".equalsIgnoreCase(headers.get("connection"));
            HttpBody stream;
            if (status == 204 || status == 304) {
                stream = new HttpBody(this, keepAlive, HttpBody.Framing.LENGTH, 0);
            } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                stream = new HttpBody(this, keepAlive, HttpBody.Framing.CHUNKED, 0);
            } else if (headers.containsKey("content-length")) {
                stream = new HttpBody(this, keepAlive, HttpBody.Framing.LENGTH,
                        Long.parseLong(headers.get("content-length")));
            } else {
                stream = new HttpBody(this, false, HttpBody.Framing.UNTIL_CLOSE, 0);
            }
            return new Response(status, headers, stream);
        }

        @Override
        public String readLine() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream(64);
            while (true) {
                int b = in.read();
                if (b < 0) {
                    return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
                }
                if (b == '\n') {
                    String text = line.toString(StandardCharsets.ISO_8859_1);
                    return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
                }
                if (line.size() >= MAX_HEADER_BYTES) {
                    throw new IOException("line over " + MAX_HEADER_BYTES + " bytes");
                }
                line.write(b);
            }
        }

        @Override
        public InputStream in() {
            return in;
        }

        @Override
        public void release() {
            disarm();
            idle.addFirst(this);
        }

        @Override
        public void close() {
            disarm();
            try {
                socket.close();
            } catch (IOException ignored) {
                // nothing left to do with a connection that failed to close
            }
        }

        private static byte[] concat(byte[] a, byte[] b) {
            byte[] all = new byte[a.length + b.length];
            System.arraycopy(a, 0, all, 0, a.length);
            System.arraycopy(b, 0, all, a.length, b.length);
            return all;
        }
    }
}
