package io.inventiv.worker.api;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Server-sent events written by hand as {@code data: <json>\n\n}, because Helidon's SseSink
 * drops the space after the colon that OpenAI clients and the control plane's proxy expect. The
 * bytes only: which event comes when is {@link SseStream}'s business. Every call flushes once.
 */
final class SseWriter {
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PING = ": ping\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

    private final OutputStream out;

    SseWriter(OutputStream out) {
        this.out = out;
    }

    /** One event whose payload is one line of JSON. */
    void data(byte[] json) throws IOException {
        write(DATA, json, END);
    }

    /** A comment line: keeps proxies from timing out, and reveals a client that has left. */
    void ping() throws IOException {
        write(PING);
    }

    /**
     * The last events of a stream, then [DONE], in one flush: one socket write and one wake-up of
     * the client instead of one per event.
     */
    void dataThenDone(byte[]... jsons) throws IOException {
        byte[][] parts = new byte[3 * jsons.length + 1][];
        for (int i = 0; i < jsons.length; i++) {
            parts[3 * i] = DATA;
            parts[3 * i + 1] = jsons[i];
            parts[3 * i + 2] = END;
        }
        parts[parts.length - 1] = DONE;
        write(parts);
    }

    void close() {
        try {
            out.close();
        } catch (IOException | RuntimeException ignored) {
            // the client is gone; nothing more to tell it
        }
    }

    private void write(byte[]... parts) throws IOException {
        for (byte[] part : parts) {
            out.write(part);
        }
        out.flush();
    }
}
