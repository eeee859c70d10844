package io.inventiv.worker.engine.jni;

import java.nio.charset.StandardCharsets;

/**
 * Turns the bytes of generated tokens into text, one whole character at a time: a token may end in
 * the middle of a UTF-8 character (CJK, emoji), whose rest comes with the next token. Bytes that
 * can never complete a character become U+FFFD, as in llama-server and vLLM.
 */
public final class Utf8Assembler {
    private byte[] buffer = new byte[64];
    private int length;

    void append(byte[] bytes, int offset, int count) {
        if (length + count > buffer.length) {
            buffer = java.util.Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + count));
        }
        System.arraycopy(bytes, offset, buffer, length, count);
        length += count;
    }

    /** The text of every complete character so far; an incomplete last one stays for later. */
    public String take() {
        int complete = completeLength();
        if (complete == 0) {
            return "";
        }
        String text = new String(buffer, 0, complete, StandardCharsets.UTF_8);
        System.arraycopy(buffer, complete, buffer, 0, length - complete);
        length -= complete;
        return text;
    }

    /** Everything left, an incomplete character included (decoded as U+FFFD). */
    public String flush() {
        String text = new String(buffer, 0, length, StandardCharsets.UTF_8);
        length = 0;
        return text;
    }

    /** Bytes up to the start of a trailing character that its lead byte says is not complete yet. */
    private int completeLength() {
        for (int back = 1; back <= Math.min(3, length); back++) {
            int b = buffer[length - back] & 0xFF;
            if ((b & 0xC0) == 0x80) {
                continue; // a continuation byte: look further back for the lead
            }
            int needed = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
            return needed > back ? length - back : length;
        }
        return length;
    }
}
