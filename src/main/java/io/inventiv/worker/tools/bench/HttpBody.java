package io.inventiv.worker.tools.bench;

import java.io.IOException;
import java.io.InputStream;

/**
 * A response body as HTTP frames it. A read returns what one socket read delivered, so a
 * stream's frames are seen as they arrive. Closing it before its end closes the connection.
 */
final class HttpBody extends InputStream {
    enum Framing { LENGTH, CHUNKED, UNTIL_CLOSE }

    /** The connection a body is read from. */
    interface Source {
        InputStream in();

        /** One CRLF-terminated line of ASCII, without the terminator; null at end of stream. */
        String readLine() throws IOException;

        /** The body ended: the connection may serve the next request. */
        void release();

        void close();
    }

    private final Source connection;
    private final boolean keepAlive;
    private final Framing framing;
    /** Bytes left in the body (LENGTH) or in the current chunk (CHUNKED). */
    private long remaining;
    private boolean ended;
    private volatile boolean closed;

    HttpBody(Source connection, boolean keepAlive, Framing framing, long length) {
        this.connection = connection;
        this.keepAlive = keepAlive;
        this.framing = framing;
        this.remaining = length;
        if (framing == Framing.LENGTH && length == 0) {
            end();
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (ended || closed) {
            return -1;
        }
        if (length == 0) {
            return 0;
        }
        if (framing == Framing.CHUNKED && remaining == 0) {
            remaining = nextChunkSize();
            if (remaining == 0) {
                skipTrailers();
                end();
                return -1;
            }
        }
        int wanted = framing == Framing.UNTIL_CLOSE ? length : (int) Math.min(length, remaining);
        int n = connection.in().read(buffer, offset, wanted);
        if (n < 0) {
            if (framing == Framing.UNTIL_CLOSE) {
                end();
                return -1;
            }
            throw new IOException("connection closed in the middle of the body");
        }
        remaining -= framing == Framing.UNTIL_CLOSE ? 0 : n;
        if (framing == Framing.CHUNKED && remaining == 0 && !"".equals(connection.readLine())) {
            throw new IOException("chunk not followed by CRLF");
        }
        if (framing == Framing.LENGTH && remaining == 0) {
            end();
        }
        return n;
    }

    private long nextChunkSize() throws IOException {
        String line = connection.readLine();
        if (line == null) {
            throw new IOException("connection closed before the next chunk");
        }
        int extension = line.indexOf(';');
        try {
            return Long.parseLong((extension >= 0 ? line.substring(0, extension) : line).trim(), 16);
        } catch (NumberFormatException e) {
            throw new IOException("bad chunk size: " + line);
        }
    }

    private void skipTrailers() throws IOException {
        for (String line = connection.readLine(); line != null && !line.isEmpty(); line = connection.readLine()) {
            // trailers carry nothing the bench reads
        }
    }

    /** The body is complete: the connection can serve the next request. */
    private void end() {
        ended = true;
        if (keepAlive) {
            connection.release();
        } else {
            connection.close();
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (!ended) {
                connection.close(); // unread bytes would corrupt the next exchange
            }
        }
    }
}
