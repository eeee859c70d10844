package io.inventiv.worker.gguf;

import io.inventiv.worker.tools.gguf.QwenModelSpec;
import io.inventiv.worker.tools.gguf.QwenFixtureModel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The header reader on our own fixture: what it finds, and how it refuses a cut file. */
class GgufMetadataTest {
    @TempDir
    Path dir;

    @Test
    void findsTheVocabularyItsEndOfGenerationTokensAndScalarKeys() throws IOException {
        QwenModelSpec spec = QwenModelSpec.tiny();
        Path file = dir.resolve("tiny.gguf");
        QwenFixtureModel.write(spec, file);
        GgufMetadata gguf = GgufMetadata.read(file);
        List<String> vocabulary = QwenFixtureModel.vocabulary(spec.vocabSize());
        assertEquals(vocabulary.size(), gguf.vocabSize());
        List<Integer> expected = List.of(vocabulary.indexOf(QwenFixtureModel.END_OF_TEXT),
                vocabulary.indexOf(QwenFixtureModel.IM_END));
        assertEquals(expected.stream().sorted().toList(), gguf.endOfGenerationTokens().stream().sorted().toList());
        assertEquals(Optional.of("qwen2"), gguf.string("general.architecture"));
        assertEquals(Optional.of(QwenFixtureModel.CHAT_TEMPLATE), gguf.string("tokenizer.chat_template"));
    }

    @Test
    void aFileCutAnywhereInItsHeaderIsReportedAsTruncated() throws IOException {
        Path whole = dir.resolve("whole.gguf");
        QwenFixtureModel.write(QwenModelSpec.tiny(), whole);
        byte[] bytes = Files.readAllBytes(whole);
        int headerEnd = headerLength(whole, bytes);
        for (int cut = 4; cut < headerEnd; cut += Math.max(1, headerEnd / 97)) {
            Path file = Files.write(dir.resolve("cut.gguf"), Arrays.copyOf(bytes, cut));
            IOException error = assertThrows(IOException.class, () -> GgufMetadata.read(file), "cut at " + cut);
            assertTrue(error.getMessage().contains("truncated"), "cut at " + cut + ": " + error.getMessage());
        }
    }

    /** The shortest prefix of the file that still reads: where the header ends. */
    private int headerLength(Path whole, byte[] bytes) throws IOException {
        int low = 0;
        int high = bytes.length;
        while (low < high) {
            int middle = (low + high) >>> 1;
            Path file = Files.write(dir.resolve("probe.gguf"), Arrays.copyOf(bytes, middle));
            try {
                GgufMetadata.read(file);
                high = middle;
            } catch (IOException e) {
                low = middle + 1;
            }
        }
        assertTrue(low > 1000 && low < bytes.length, "header length " + low + " of " + bytes.length);
        return low;
    }
}
