package io.inventiv.worker.tools.gguf;

import io.inventiv.worker.gguf.GgufMetadata;
import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.ModelParameters;
import io.inventiv.worker.tools.gguf.GgufWriter.TensorType;
import io.inventiv.worker.tools.gguf.QwenModelSpec.FileType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Writes the synthetic qwen2 fixture and has llama.cpp load it, through the engine under test
 * (the binding or our native layer, {@link LoadedFixture}). One model per tensor type, each closed
 * exactly once: closing the binding's models in a loop leaks natively.
 */
class QwenFixtureModelTest {

    private static final String USER_HI = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private static final String CHATML_HI = "<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n";

    @TempDir
    static Path dir;
    private static Path tiny;
    private static LoadedFixture model;

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
        model = LoadedFixture.open(tiny);
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
        assertEquals(CHATML_HI, model.chatTemplate(USER_HI));
    }

    @Test
    void greedyGenerationStreamsEveryToken() {
        String prompt = model.chatTemplate(USER_HI);
        List<String> texts = model.greedy(prompt, 8);
        assertEquals(8, texts.size(), "one output per token: " + texts);
        assertEquals(texts, model.greedy(prompt, 8), "temperature 0 is deterministic");
        String text = String.join("", texts);
        assertFalse(text.isBlank(), "printable tokens, not control or padding tokens: " + texts);
    }

    /**
     * Every tensor type loads and generates. jinja is on here, so llama.cpp renders the prompt
     * with the template stored in the file (without it, llama.cpp recognises "<|im_start|>" and
     * uses its built-in ChatML, which drops tool calls).
     */
    @ParameterizedTest
    @EnumSource(value = FileType.class, names = {"F16", "Q8_0", "Q4_0", "Q4_K_M"})
    void otherFileTypesLoadAndGenerate(FileType type) throws IOException {
        Path file = dir.resolve("tiny-" + type + ".gguf");
        QwenFixtureModel.write(QwenModelSpec.tiny(type), file);
        System.out.printf("tiny %s fixture: %d bytes%n", type, Files.size(file));
        try (LoadedFixture m = LoadedFixture.open(file)) {
            assertEquals(CHATML_HI, m.chatTemplate(USER_HI));
            String withTools = m.chatTemplate("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},"
                    + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\","
                    + "\"function\":{\"name\":\"add\",\"arguments\":\"{\\\"a\\\":1}\"}}]},"
                    + "{\"role\":\"tool\",\"tool_call_id\":\"c1\",\"content\":\"2\"}]}");
            // The native layer's Jinja writes the arguments as transformers' tojson does (vLLM's rendering);
            // the binding's keeps the client's string.
            String arguments = io.inventiv.worker.TestModels.ENGINE.equals("native") ? "{\"a\": 1}" : "{\"a\":1}";
            assertEquals("<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n{\"name\": \"add\", \"arguments\": "
                    + arguments + "}<|im_end|>\n<|im_start|>tool\n2<|im_end|>\n<|im_start|>assistant\n", withTools);
            assertEquals(8, m.greedy(CHATML_HI, 8).size());
        }
    }

    /**
     * Q4_K_M gives each tensor the encoding llama.cpp's llama_tensor_get_type gives it, which
     * for Qwen2.5-0.5B is what its published Q4_K_M file holds: llama.cpp logs "type f32: 121,
     * q5_0: 132, q8_0: 13, q4_K: 12, q6_K: 12" loading it (ollama/ollama#9031). Rows of 896 are
     * not whole 256-element super-blocks, so only ffn_down (rows of 4864) keeps K-quants.
     */
    @Test
    void q4KMixMatchesThePublishedQwen25HalfBillionFile() {
        Map<String, TensorType> types = QwenFixtureModel.tensorTypes(QwenModelSpec.qwen25_05b(FileType.Q4_K_M));
        Map<TensorType, Long> counts = new EnumMap<>(TensorType.class);
        types.values().forEach(t -> counts.merge(t, 1L, Long::sum));
        assertEquals(Map.of(TensorType.F32, 121L, TensorType.Q5_0, 132L, TensorType.Q8_0, 13L, TensorType.Q4_K, 12L, TensorType.Q6_K, 12L), counts);
        assertEquals(TensorType.Q8_0, types.get("token_embd.weight"), "tied output; 896 % 256 != 0");
        // use_more_bits for 24 blocks: 0-2, 21-23, and 5, 8, 11, 14, 17, 20.
        List<Integer> moreBits = List.of(0, 1, 2, 5, 8, 11, 14, 17, 20, 21, 22, 23);
        for (int i = 0; i < 24; i++) {
            boolean more = moreBits.contains(i);
            assertEquals(more ? TensorType.Q8_0 : TensorType.Q5_0, types.get("blk." + i + ".attn_v.weight"), "attn_v " + i);
            assertEquals(more ? TensorType.Q6_K : TensorType.Q4_K, types.get("blk." + i + ".ffn_down.weight"), "ffn_down " + i);
            assertEquals(TensorType.Q5_0, types.get("blk." + i + ".ffn_up.weight"));
        }
    }

    /**
     * llama.cpp decodes our quantized blocks as {@link GgmlDequant} does: greedy generation from
     * the file matches generation from an F32 copy holding GgmlDequant's decoding of its blocks,
     * token for token over most of each run. (Not all of it: llama.cpp also quantizes activations
     * for these types, and a random model amplifies small differences.) Decoding one sub-block's
     * min or scale differently is enough for the runs to part within a token or two, as they do
     * against the unquantized F32 model. With {@link GgmlQuantsTest} (our blocks decode, by
     * GgmlDequant, to values close to the input) this shows llama.cpp reads the weights we meant.
     * Width 256 exercises Q4_K and Q6_K, width 64 the Q5_0 and Q8_0 fallbacks.
     */
    @ParameterizedTest
    @ValueSource(ints = {256, 64})
    void quantizedModelComputesWhatItsBlocksDecodeTo(int width) throws IOException {
        QwenModelSpec spec = new QwenModelSpec("k-quant-test", 512, width, 2 * width, 2, 4, 2, 4096, FileType.Q4_K_M, 42L, 1_000_000f, 1e-6f);
        Path file = dir.resolve("q4_k_m-" + width + ".gguf");
        QwenFixtureModel.write(spec, file);
        assertEquals(QwenFixtureModel.tensorTypes(spec), GgufDequantizedCopy.tensorTypes(file));
        assertEquals(Optional.of(15L), GgufMetadata.read(file).integer("general.file_type"), "LLAMA_FTYPE_MOSTLY_Q4_K_M");
        if (width == 256) {
            assertEquals(Set.of(TensorType.F32, TensorType.Q4_K, TensorType.Q6_K), Set.copyOf(GgufDequantizedCopy.tensorTypes(file).values()));
        }
        Path copy = dir.resolve("q4_k_m-" + width + "-as-f32.gguf");
        GgufDequantizedCopy.write(file, copy);
        List<String> prompts = List.of("hello world, the answer is", "I think", "The server", CHATML_HI);
        List<List<String>> quantized = generateEach(file, prompts), decoded = generateEach(copy, prompts);
        int agreeing = 0;
        for (int p = 0; p < prompts.size(); p++) {
            int prefix = 0;
            while (prefix < 16 && quantized.get(p).get(prefix).equals(decoded.get(p).get(prefix))) prefix++;
            System.out.printf("width %d, prompt %d: %d of 16 tokens agree%n", width, p, prefix);
            assertTrue(prefix >= 2, "prompt " + p + ": " + quantized.get(p) + " vs " + decoded.get(p));
            agreeing += prefix;
        }
        assertTrue(agreeing >= 32, agreeing + " of 64 tokens agree");
    }

    /**
     * Qwen2.5-0.5B's shape, written, loaded and run through the binding: 16 tokens with
     * ignore_eos on 2 threads, timed. Slow (the Q4_K_M file is about 396 MB), so opt-in with
     * {@code -Dgguf.bigtest=true}; {@code -Dgguf.bigtest.types=Q4_K_M,Q8_0,Q4_0} picks the file
     * types and {@code -Dgguf.bigtest.tokens=128} the number of tokens.
     */
    @Test
    @EnabledIfSystemProperty(named = "gguf.bigtest", matches = "true")
    @org.junit.jupiter.api.condition.DisabledIfSystemProperty(named = "test.engine", matches = "native",
            disabledReason = "times the binding; make bench measures the native engine")
    void qwen25HalfBillionShapeWritesLoadsAndGenerates() throws IOException {
        int tokens = Integer.getInteger("gguf.bigtest.tokens", 16);
        for (String name : System.getProperty("gguf.bigtest.types", "Q4_K_M").split(",")) {
            FileType type = FileType.valueOf(name.trim());
            Path big = Files.createTempFile("qwen25-05b-" + type, ".gguf"); // java.io.tmpdir, not the repo
            try {
                long t0 = System.nanoTime();
                QwenFixtureModel.write(QwenModelSpec.qwen25_05b(type), big);
                long t1 = System.nanoTime();
                LlamaModel m = new LlamaModel(new ModelParameters().setModel(big.toString()).setCtxSize(512).setThreads(2));
                long t2 = System.nanoTime();
                try {
                    m.generate(new InferenceParameters("hello").setNPredict(4).setTemperature(0)).forEach(o -> { }); // warm-up
                    List<Long> arrivals = new ArrayList<>();
                    long start = System.nanoTime();
                    for (LlamaOutput o : m.generate(new InferenceParameters(CHATML_HI).setNPredict(tokens).setIgnoreEos(true).setTemperature(0))) {
                        arrivals.add(System.nanoTime());
                    }
                    assertEquals(tokens + 1, arrivals.size(), "one output per token, then the final one");
                    // Decode rate: tokens after the first (which includes the prompt) over their time.
                    double decodeSeconds = (arrivals.get(tokens - 1) - arrivals.get(0)) / 1e9;
                    System.out.printf("0.5B %s: %,d bytes, write %.1f s, load %.2f s, first token %.0f ms, decode %.1f tok/s (%d tokens, 2 threads)%n",
                            type, Files.size(big), (t1 - t0) / 1e9, (t2 - t1) / 1e9, (arrivals.get(0) - start) / 1e6,
                            (tokens - 1) / decodeSeconds, tokens);
                } finally {
                    m.close();
                }
            } finally {
                Files.deleteIfExists(big);
            }
        }
    }

    private static List<List<String>> generateEach(Path file, List<String> prompts) {
        try (LoadedFixture m = LoadedFixture.open(file)) {
            List<List<String>> texts = new ArrayList<>();
            for (String prompt : prompts) texts.add(m.greedy(prompt, 16));
            return texts;
        }
    }
}
