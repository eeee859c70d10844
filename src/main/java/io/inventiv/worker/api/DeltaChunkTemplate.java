package io.inventiv.worker.api;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The bytes of one stream's content chunks. Within a stream these chunks differ only in their
 * text, so the chunk is serialized once, with a marker where the text goes, and each token then
 * costs one JSON string escape (Jackson's own) and a copy instead of a full serialization
 * (docs/DECISIONS.md, "Per-token and per-request cuts"). The bytes are the same as
 * {@code Json.write(shape.deltaChunk(text))}; when the marker does not appear exactly once (a
 * model name containing it), every chunk is serialized whole.
 */
final class DeltaChunkTemplate {
    private static final String MARKER = "@@worker-llamacpp-delta-text@@";
    private static final byte[] MARKER_BYTES = MARKER.getBytes(StandardCharsets.US_ASCII);

    private final ResponseShape shape;
    private final byte[] prefix;
    private final byte[] suffix;

    private DeltaChunkTemplate(ResponseShape shape, byte[] prefix, byte[] suffix) {
        this.shape = shape;
        this.prefix = prefix;
        this.suffix = suffix;
    }

    static DeltaChunkTemplate of(ResponseShape shape) {
        byte[] chunk = Json.write(shape.deltaChunk(MARKER));
        int at = indexOf(chunk, 0);
        if (at < 0 || indexOf(chunk, at + 1) >= 0) {
            return new DeltaChunkTemplate(shape, null, null);
        }
        return new DeltaChunkTemplate(shape, Arrays.copyOfRange(chunk, 0, at),
                Arrays.copyOfRange(chunk, at + MARKER_BYTES.length, chunk.length));
    }

    /** The chunk carrying {@code text}, as JSON bytes. */
    byte[] render(String text) {
        if (prefix == null || hasSurrogate(text)) {
            return Json.write(shape.deltaChunk(text));
        }
        byte[] escaped = JsonStringEncoder.getInstance().quoteAsUTF8(text);
        byte[] chunk = new byte[prefix.length + escaped.length + suffix.length];
        System.arraycopy(prefix, 0, chunk, 0, prefix.length);
        System.arraycopy(escaped, 0, chunk, prefix.length, escaped.length);
        System.arraycopy(suffix, 0, chunk, prefix.length + escaped.length, suffix.length);
        return chunk;
    }

    /**
     * Jackson's generator writes a character outside the BMP (an emoji) as an escaped surrogate
     * pair, and its string encoder as raw UTF-8: both valid JSON, but those chunks are serialized
     * whole so that the bytes stay the same as before.
     */
    private static boolean hasSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isSurrogate(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static int indexOf(byte[] haystack, int from) {
        outer:
        for (int i = from; i <= haystack.length - MARKER_BYTES.length; i++) {
            for (int j = 0; j < MARKER_BYTES.length; j++) {
                if (haystack[i + j] != MARKER_BYTES[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
