package io.inventiv.worker.tools.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The bytes of a streamed body as they arrived, split into lines, each line stamped with the
 * instant of the socket read that completed it. The lines are decoded and parsed only after the
 * body has ended.
 *
 * <p>Why not parse each frame as it arrives: the bench client's CPU is taken from llama.cpp's
 * threads, while the raw in-process baseline has no client at all, and stamping at arrival then
 * parsing afterwards gives the same timings for less of that CPU
 * (docs/DECISIONS.md, "Bench client").
 */
final class ArrivedLines {
    /** A body larger than this is no token stream: the bench stops reading it. */
    static final int MAX_BYTES = 64 * 1024 * 1024;

    /** Where replayed lines go; SseStreamRecorder's {@code onLine} fits. */
    interface Sink {
        void onLine(String line, long atNanos);
    }

    private byte[] bytes = new byte[32 * 1024];
    private int size;
    /** Offset just past each complete line's '\n', and the instant its read returned. */
    private int[] ends = new int[512];
    private long[] times = new long[512];
    private int lines;
    private long lastReadAt;

    /** Appends {@code length} bytes that one read returned at {@code atNanos}. */
    void add(byte[] chunk, int length, long atNanos) throws IOException {
        if (length > MAX_BYTES - size) {
            throw new IOException("stream body over " + MAX_BYTES + " bytes");
        }
        if (size + length > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.min(MAX_BYTES, Math.max(bytes.length * 2, size + length)));
        }
        System.arraycopy(chunk, 0, bytes, size, length);
        for (int i = size; i < size + length; i++) {
            if (bytes[i] == '\n') {
                mark(i + 1, atNanos);
            }
        }
        size += length;
        lastReadAt = atNanos;
    }

    private void mark(int end, long atNanos) {
        if (lines == ends.length) {
            ends = Arrays.copyOf(ends, lines * 2);
            times = Arrays.copyOf(times, lines * 2);
        }
        ends[lines] = end;
        times[lines++] = atNanos;
    }

    /**
     * Gives every line to the sink in order, without its "\n" or "\r\n", as
     * {@link java.io.BufferedReader#readLine} would, the unterminated last one included.
     */
    void replay(Sink sink) {
        int start = 0;
        for (int line = 0; line < lines; line++) {
            sink.onLine(decode(start, ends[line] - 1), times[line]);
            start = ends[line];
        }
        if (start < size) {
            sink.onLine(decode(start, size), lastReadAt);
        }
    }

    private String decode(int from, int to) {
        int end = to > from && bytes[to - 1] == '\r' ? to - 1 : to;
        return new String(bytes, from, end - from, StandardCharsets.UTF_8);
    }
}
