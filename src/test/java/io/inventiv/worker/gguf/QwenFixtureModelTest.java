package io.inventiv.worker.gguf;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.ModelParameters;
import io.inventiv.worker.gguf.GgufWriter.TensorType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Writes the synthetic qwen2 fixture and has llama.cpp (through the JNI binding) load it.
 * One model per tensor type, each closed exactly once: closing models in a loop leaks natively.
 */
class QwenFixtureModelTest {

    private static final String USER_HI = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private static final String CHATML_HI = "<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n";

    @TempDir
    static Path dir;
    private static Path tiny;
    private static LlamaModel model;

    @BeforeAll
    static void writeAndLoad() throws IOException {
        // The binding extracts libjllama.so into this folder but does not create it, and then
        // reports a misleading "No native library found".
        String nativeDir = System.getProperty("de.kherud.llama.tmpdir");
        if (nativeDir != null) Files.createDirectories(Path.of(nativeDir));
        tiny = dir.resolve("tiny.gguf");
        long t0 = System.nanoTime();
        QwenFixtureModel.write(QwenModelSpec.tiny(), tiny);
        System.out.printf("tiny F32 fixture: %d bytes in %.1f ms%n", Files.size(tiny), (System.nanoTime() - t0) / 1e6);
        model = new LlamaModel(new ModelParameters().setModel(tiny.toString()).setCtxSize(512).setThreads(2));
    }

    @AfterAll
    static void close() {
        if (model != null) model.close();
    }

    @Test
    void sameSeedGivesSameBytesAndOtherSeedDoesNot() throws IOException {
        Path again = dir.resolve("again.gguf");
        QwenFixtureModel.write(QwenModelSpec.tiny(), again);
        assertEquals(-1, Files.mismatch(tiny, again), "same spec must give identical bytes");
        Path other = dir.resolve("other.gguf");
        QwenFixtureModel.write(QwenModelSpec.tiny().withSeed(7), other);
        assertEquals(Files.size(tiny), Files.size(other));
        assertNotEquals(-1, Files.mismatch(tiny, other));
    }

    @Test
    void fileHasGgufV3HeaderAndAlignedSize() throws IOException {
        ByteBuffer head = ByteBuffer.wrap(Files.readAllBytes(tiny)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0x46554747, head.getInt(0), "magic 'GGUF'");
        assertEquals(3, head.getInt(4), "version");
        QwenModelSpec spec = QwenModelSpec.tiny();
        assertEquals(2 + 12L * spec.nLayer(), head.getLong(8), "tensor count");
        assertEquals(0, Files.size(tiny) % GgufWriter.DEFAULT_ALIGNMENT, "every tensor, the last included, is padded");
    }

    @Test
    void writerStreamsToOutputStreamAndRejectsBadInput() throws IOException {
        GgufWriter w = new GgufWriter().putUInt32(GgufWriter.ALIGNMENT_KEY, 64).putString("general.architecture", "x");
        w.addTensor("t", TensorType.Q4_0, new long[]{32, 3}, (row, dst) -> java.util.Arrays.fill(dst, row));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long n = w.writeTo(out);
        assertEquals(n, out.size());
        assertEquals(0, n % 64);
        // The header is shorter than 64 bytes of metadata + one tensor info, so data starts at 64 or 128.
        byte[] b = out.toByteArray();
        int dataStart = (int) (n - 64); // 3 rows x 18 bytes = 54, padded to 64
        assertEquals(0, dataStart % 64);
        // Row 0 is all zeros: scale 0 (-0.0, as llama.cpp's d = max / -8 gives) and nibbles 8.
        assertTrue(Float.float16ToFloat((short) ((b[dataStart] & 0xff) | (b[dataStart + 1] << 8))) == 0f);
        assertEquals((byte) 0x88, b[dataStart + 2]);
        assertThrows(IllegalArgumentException.class, () -> w.putString("general.architecture", "again"));
        assertThrows(IllegalArgumentException.class, () -> w.addTensor("odd", TensorType.Q8_0, new long[]{48}, (r, d) -> { }));
        assertThrows(IllegalArgumentException.class, () -> new GgufWriter().putUInt32(GgufWriter.ALIGNMENT_KEY, 48));
        assertThrows(IllegalArgumentException.class, () -> new GgufWriter().putUInt64(GgufWriter.ALIGNMENT_KEY, 32));
    }

    @Test
    void tokenizerIsByteLevelBpeWithMerges() {
        List<String> vocab = QwenFixtureModel.vocabulary(QwenModelSpec.tiny().vocabSize());
        int[] ids = model.encode("hello world");
        assertArrayEquals(new int[]{vocab.indexOf("hello"), vocab.indexOf("Ġworld")}, ids);
        assertEquals("hello world", model.decode(ids));
        // Text without merges falls back to byte tokens and still round-trips, UTF-8 included.
        String odd = "zq€\n";
        int[] bytes = model.encode(odd);
        assertEquals(6, bytes.length, "z, q, three bytes of €, newline");
        assertEquals(odd, model.decode(bytes));
        assertEquals(0, vocab.indexOf("!"), "byte tokens come in GPT-2 order");
        assertTrue(vocab.indexOf(QwenFixtureModel.IM_END) > 255);
    }

    @Test
    void chatTemplateIsChatMl() {
        assertEquals(CHATML_HI, model.applyTemplate(USER_HI));
    }

    @Test
    void greedyGenerationStreamsEveryToken() {
        String prompt = model.applyTemplate(USER_HI);
        List<String> texts = generate(model, prompt);
        assertEquals(9, texts.size(), "8 tokens + the final message: " + texts);
        assertEquals(texts, generate(model, prompt), "temperature 0 is deterministic");
        String text = String.join("", texts);
        assertFalse(text.isBlank(), "printable tokens, not control or padding tokens: " + texts);
    }

    /**
     * Every tensor type loads and generates. jinja is on here, so llama.cpp renders the prompt
     * with the template stored in the file (without it, llama.cpp recognises "<|im_start|>" and
     * uses its built-in ChatML, which drops tool calls).
     */
    @ParameterizedTest
    @EnumSource(value = TensorType.class, names = {"F16", "Q8_0", "Q4_0"})
    void otherTensorTypesLoadAndGenerate(TensorType type) throws IOException {
        Path file = dir.resolve("tiny-" + type + ".gguf");
        QwenFixtureModel.write(QwenModelSpec.tiny(type), file);
        System.out.printf("tiny %s fixture: %d bytes%n", type, Files.size(file));
        LlamaModel m = new LlamaModel(new ModelParameters().setModel(file.toString()).setCtxSize(512).setThreads(2).enableJinja());
        try {
            assertEquals(CHATML_HI, m.applyTemplate(USER_HI));
            String withTools = m.applyTemplate("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},"
                    + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\","
                    + "\"function\":{\"name\":\"add\",\"arguments\":\"{\\\"a\\\":1}\"}}]},"
                    + "{\"role\":\"tool\",\"tool_call_id\":\"c1\",\"content\":\"2\"}]}");
            assertEquals("<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n{\"name\": \"add\", \"arguments\": {\"a\":1}}<|im_end|>\n"
                    + "<|im_start|>tool\n2<|im_end|>\n<|im_start|>assistant\n", withTools);
            assertEquals(9, generate(m, CHATML_HI).size());
        } finally {
            m.close();
        }
    }

    /** Qwen2.5-0.5B's shape (~280 MB as Q4_0). Slow, so opt-in: {@code -Dgguf.bigtest=true}. */
    @Test
    @EnabledIfSystemProperty(named = "gguf.bigtest", matches = "true")
    void qwen25HalfBillionShapeWritesAndLoads() throws IOException {
        Path big = Files.createTempFile("qwen25-05b-q4_0", ".gguf"); // java.io.tmpdir, not the repo
        try {
            long t0 = System.nanoTime();
            QwenFixtureModel.write(QwenModelSpec.qwen25_05b(TensorType.Q4_0), big);
            long t1 = System.nanoTime();
            LlamaModel m = new LlamaModel(new ModelParameters().setModel(big.toString()).setCtxSize(512).setThreads(2));
            long t2 = System.nanoTime();
            try {
                assertEquals(9, generate(m, CHATML_HI).size());
            } finally {
                m.close();
            }
            System.out.printf("0.5B Q4_0: %d bytes, write %.1f s, load %.1f s, 8 tokens %.1f s%n", Files.size(big),
                    (t1 - t0) / 1e9, (t2 - t1) / 1e9, (System.nanoTime() - t2) / 1e9);
        } finally {
            Files.deleteIfExists(big);
        }
    }

    private static List<String> generate(LlamaModel m, String prompt) {
        List<String> texts = new ArrayList<>();
        for (LlamaOutput o : m.generate(new InferenceParameters(prompt).setNPredict(8).setIgnoreEos(true).setTemperature(0))) {
            texts.add(o.text);
        }
        return texts;
    }
}
