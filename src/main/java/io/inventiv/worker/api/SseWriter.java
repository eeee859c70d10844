package io.inventiv.worker.api;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Server-sent events written by hand as {@code data: <json>\n\n}, because Helidon's SseSink
 * drops the space after the colon that OpenAI clients and the control plane's proxy expect.
 * Every write is flushed; a failed write means the client is gone.
 */
final class SseWriter {
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PING = ": ping\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

    private final OutputStream out;

    SseWriter(ServerResponse res) {
        res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        this.out = res.outputStream();
    }

    /** Writes one event with a one-line JSON payload. */
    void data(Object payload) throws ClientGoneException {
        write(DATA, json(payload), END);
    }

    /** A comment line: keeps proxies from timing out, and reveals a client that has left. */
    void ping() throws ClientGoneException {
        write(PING);
    }

    /**
     * The last events of a stream, then [DONE], in one flush: one socket write and one wake-up of
     * the client instead of one per event, while the next request may already be starting.
     */
    void lastEvents(Object... payloads) throws ClientGoneException {
        byte[][] parts = new byte[3 * payloads.length + 1][];
        for (int i = 0; i < payloads.length; i++) {
            parts[3 * i] = DATA;
            parts[3 * i + 1] = json(payloads[i]);
            parts[3 * i + 2] = END;
        }
        parts[parts.length - 1] = DONE;
        write(parts);
    }

    /** A payload that is already JSON bytes goes as is; anything else is serialized. */
    private static byte[] json(Object payload) {
        return payload instanceof byte[] bytes ? bytes : Json.write(payload);
    }

    void close() {
        try {
            out.close();
        } catch (IOException | RuntimeException ignored) {
            // the client is gone; nothing more to tell it
        }
    }

    private void write(byte[]... parts) throws ClientGoneException {
        try {
            for (byte[] part : parts) {
                out.write(part);
            }
            out.flush();
        } catch (IOException | UncheckedIOException e) {
            throw new ClientGoneException(e);
        } catch (RuntimeException e) {
            // Helidon reports a closed socket with its own unchecked exceptions.
            throw new ClientGoneException(e);
        }
    }

    /** The client closed the connection; the generation must be cancelled. */
    static final class ClientGoneException extends Exception {
        ClientGoneException(Throwable cause) {
            super(cause);
        }
    }
}
