package io.inventiv.worker.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Lines of a streamed body, stamped by the read that completed them and replayed afterwards. */
class ArrivedLinesTest {
    private record Line(String text, long at) {
    }

    private static List<Line> replay(ArrivedLines lines) {
        List<Line> seen = new ArrayList<>();
        lines.replay((text, at) -> seen.add(new Line(text, at)));
        return seen;
    }

    private static void add(ArrivedLines lines, String text, long at) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        byte[] padded = new byte[bytes.length + 7]; // a read fills only part of its buffer
        System.arraycopy(bytes, 0, padded, 0, bytes.length);
        lines.add(padded, bytes.length, at);
    }

    @Test
    void aLineSplitAcrossReadsIsStampedWithTheReadThatEndedIt() throws IOException {
        ArrivedLines lines = new ArrivedLines();
        add(lines, "data: {\"a\"", 10);
        add(lines, ":1}\r\n\r\ndata: [DO", 20);
        add(lines, "NE]\n\n", 30);
        assertEquals(List.of(new Line("data: {\"a\":1}", 20), new Line("", 20), new Line("data: [DONE]", 30),
                new Line("", 30)), replay(lines));
    }

    @Test
    void anUnterminatedLastLineIsKeptAndUtf8SplitAcrossReadsIsWhole() throws IOException {
        ArrivedLines lines = new ArrivedLines();
        byte[] euro = "data: €".getBytes(StandardCharsets.UTF_8); // € is 3 bytes
        lines.add(euro, euro.length - 1, 5);
        lines.add(new byte[] {euro[euro.length - 1], '\n', 'x'}, 3, 6);
        assertEquals(List.of(new Line("data: €", 6), new Line("x", 6)), replay(lines));
    }

    @Test
    void manyLinesGrowTheLogAndKeepTheirOrder() throws IOException {
        ArrivedLines lines = new ArrivedLines();
        String frame = "data: " + "y".repeat(300) + "\n";
        for (int i = 0; i < 2000; i++) {
            add(lines, frame, i);
        }
        List<Line> seen = replay(lines);
        assertEquals(2000, seen.size());
        assertEquals(1999, seen.get(1999).at());
        assertEquals(frame.length() - 1, seen.get(1234).text().length());
    }

    @Test
    void aBodyOverTheLimitIsRefused() throws IOException {
        ArrivedLines lines = new ArrivedLines();
        byte[] block = new byte[1 << 20];
        for (int i = 0; i < ArrivedLines.MAX_BYTES >> 20; i++) {
            lines.add(block, block.length, i);
        }
        assertThrows(IOException.class, () -> lines.add(block, 1, 0));
    }
}
