package io.inventiv.worker.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A templated chunk is byte for byte what Jackson writes for the whole chunk, whatever the text. */
class DeltaChunkTemplateTest {
    private static final List<String> TEXTS = List.of("", "Hello", " world", "\"quoted\"", "back\\slash",
            "tab\tnew\nline\r", "\u0000\u0001\u001f control", "é ü ñ", "日本語", "😀 emoji", "a\ud83d lone surrogate", "</script>",
            "@@worker-llamacpp", "\ufffd", "\u2028\u2029");

    private static void assertSameBytes(ResponseShape shape) {
        DeltaChunkTemplate template = DeltaChunkTemplate.of(shape);
        for (String text : TEXTS) {
            assertArrayEquals(Json.write(shape.deltaChunk(text)), template.render(text), text);
        }
    }

    @Test
    void chatChunksMatchAFullSerialization() {
        assertSameBytes(new ChatCompletionsService.Shape("chatcmpl-1", 1_700_000_000L, "qwen2.5-0.5b-instruct", null));
    }

    @Test
    void completionChunksMatchAFullSerialization() {
        assertSameBytes(new CompletionsService.Shape("cmpl-1", 1_700_000_000L, "qwen \"quoted\" model"));
    }

    @Test
    void aModelNamedLikeTheMarkerFallsBackToWholeChunks() {
        assertSameBytes(new CompletionsService.Shape("cmpl-2", 1L, "@@worker-llamacpp-delta-text@@"));
    }
}
