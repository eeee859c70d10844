package io.inventiv.worker.api;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bytes of server-sent events, and how many flushes (socket writes) they take. */
class SseWriterTest {
    /** Records what reached the socket at each flush. */
    private static final class FlushRecorder extends OutputStream {
        final ByteArrayOutputStream pending = new ByteArrayOutputStream();
        final List<String> flushes = new ArrayList<>();
        boolean closed;

        @Override
        public void write(int b) {
            pending.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            pending.write(b, off, len);
        }

        @Override
        public void flush() {
            flushes.add(pending.toString(StandardCharsets.UTF_8));
            pending.reset();
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void anEventIsDataColonSpacePayloadAndABlankLineInOneFlush() throws IOException {
        FlushRecorder socket = new FlushRecorder();
        new SseWriter(socket).data(bytes("{\"a\":1}"));
        assertEquals(List.of("data: {\"a\":1}\n\n"), socket.flushes);
    }

    @Test
    void aPingIsACommentLine() throws IOException {
        FlushRecorder socket = new FlushRecorder();
        new SseWriter(socket).ping();
        assertEquals(List.of(": ping\n\n"), socket.flushes);
    }

    @Test
    void theLastEventsAndDoneGoOutInOneFlush() throws IOException {
        FlushRecorder socket = new FlushRecorder();
        new SseWriter(socket).dataThenDone(bytes("{\"finish\":1}"), bytes("{\"usage\":2}"));
        assertEquals(List.of("data: {\"finish\":1}\n\ndata: {\"usage\":2}\n\ndata: [DONE]\n\n"), socket.flushes);
    }

    @Test
    void doneAloneIsOneEvent() throws IOException {
        FlushRecorder socket = new FlushRecorder();
        new SseWriter(socket).dataThenDone();
        assertEquals(List.of("data: [DONE]\n\n"), socket.flushes);
    }

    @Test
    void aFailedWriteReachesTheCaller() {
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Broken pipe");
            }
        };
        assertThrows(IOException.class, () -> new SseWriter(broken).ping());
    }

    @Test
    void closingSwallowsTheErrorsOfAGoneClient() {
        FlushRecorder socket = new FlushRecorder();
        new SseWriter(socket).close();
        assertEquals(true, socket.closed);
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) {
            }

            @Override
            public void close() throws IOException {
                throw new IOException("Connection reset");
            }
        };
        assertDoesNotThrow(() -> new SseWriter(broken).close());
    }
}
