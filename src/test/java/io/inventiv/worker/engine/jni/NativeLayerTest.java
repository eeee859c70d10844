package io.inventiv.worker.engine.jni;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.inventiv.worker.TestModels;
import io.inventiv.worker.engine.SamplingParams;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The native layer refuses every bad input with a Java exception instead of aborting the JVM:
 * each of these inputs would assert or read out of bounds inside llama.cpp. Runs in the
 * native-engine pass of the build, on the real fixture model.
 */
class NativeLayerTest {
    private static NativeModel model;
    private static NativeContext context;

    @BeforeAll
    static void load() throws Exception {
        assumeTrue(TestModels.ENGINE.equals("native"), "runs in the native-engine pass");
        NativeLibrary.load(NativeLibrary.defaultFolder());
        model = NativeModel.load(TestModels.tinyQwen(), 0);
        context = model.newContext(64, 2, 32, 1);
    }

    private static SamplingParams greedy() {
        return new SamplingParams(8, 0, 1, 0, 0, 0, 0, 1, false, 1);
    }

    @Test
    void tokenIdsOutsideTheVocabularyAreRefusedEverywhere() {
        int outside = model.vocabSize();
        assertThrows(IllegalArgumentException.class, () -> model.detokenize(new int[] {1, outside}));
        assertThrows(IllegalArgumentException.class, () -> model.detokenize(new int[] {-1}));
        context.add(outside, 0, 0, true);
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, context::decode);
        assertTrue(refused.getMessage().contains("out of range"), refused.getMessage());
    }

    @Test
    void positionsSequencesAndRowsOutsideTheContextAreRefused() {
        context.add(1, context.perSequence(), 0, true);
        assertThrows(IllegalArgumentException.class, context::decode);
        context.add(1, 0, 2, true);
        assertThrows(IllegalArgumentException.class, context::decode);
        context.add(1, 0, 0, false);
        assertTrue(context.decode());
        try (NativeSampler sampler = context.newSampler(greedy(), null, null, null, 0)) {
            assertThrows(IllegalArgumentException.class, () -> context.sample(sampler, 0), "row 0 kept no logits");
            assertThrows(IllegalArgumentException.class, () -> context.sample(sampler, 5), "no such row");
        }
        context.truncate(0, 0);
    }

    @Test
    void anInvalidGrammarIsRefusedNotIgnored() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> context.newSampler(greedy(), "root ::= undefined-rule", null, null, 0));
        assertTrue(refused.getMessage().startsWith("invalid grammar"), refused.getMessage());
        assertThrows(IllegalArgumentException.class, () -> context.newSampler(greedy(), "root ::= (", null, null, 0));
        context.newSampler(greedy(), "root ::= \"yes\" | \"no\"", null, null, 0).close();
    }

    @Test
    void truncatedOrMalformedUtf8IsRefused() {
        byte[] truncatedEuro = {'a', (byte) 0xE2, (byte) 0x82};
        assertThrows(IllegalArgumentException.class, () -> LlamaNative.tokenize(model.handle(), truncatedEuro, false));
        byte[] overlong = {(byte) 0xC0, (byte) 0xAF};
        assertThrows(IllegalArgumentException.class, () -> LlamaNative.tokenize(model.handle(), overlong, false));
        byte[] surrogate = {(byte) 0xED, (byte) 0xA0, (byte) 0x80};
        assertThrows(IllegalArgumentException.class, () -> LlamaNative.tokenize(model.handle(), surrogate, false));
        String text = "héllo 世界 🙂";
        assertEquals(text, model.detokenize(model.tokenize(text)));
    }

    @Test
    void templatesRefuseMessagesTheyCannotRender() {
        assertThrows(IllegalArgumentException.class, () -> model.chatPrompt("{\"not\":\"an array\"}"));
        assertThrows(IllegalArgumentException.class, () -> model.chatPrompt("[{\"role\":\"user\""));
        String prompt = model.chatPrompt("[{\"role\":\"user\",\"content\":\"hi\"}]");
        assertTrue(prompt.contains("<|im_start|>user\nhi<|im_end|>"), prompt);
    }

    @Test
    void greedySamplingIsRepeatableFromTheSameCache() {
        int[] prompt = model.tokenize("Once upon a time");
        assertArrayEquals(continuation(prompt), continuation(prompt));
    }

    private static int[] continuation(int[] prompt) {
        context.truncate(1, 0);
        int row = -1;
        for (int i = 0; i < prompt.length; i++) {
            row = context.add(prompt[i], i, 1, i == prompt.length - 1);
        }
        assertTrue(context.decode());
        int[] out = new int[6];
        try (NativeSampler sampler = context.newSampler(greedy(), null, null, null, 0)) {
            for (int i = 0; i < out.length; i++) {
                out[i] = context.sample(sampler, row);
                row = context.add(out[i], prompt.length + i, 1, true);
                assertTrue(context.decode());
            }
        }
        return out;
    }

    @Test
    void piecesOfSplitCharactersAreJoinedBeforeTheyBecomeText() {
        Utf8Assembler text = new Utf8Assembler();
        byte[] smile = "🙂".getBytes(StandardCharsets.UTF_8);
        text.append(smile, 0, 2);
        assertEquals("", text.take(), "half an emoji is held back");
        text.append(smile, 2, 2);
        assertEquals("🙂", text.take());
        text.append(smile, 0, 1);
        assertEquals("\uFFFD", text.flush(), "a character that never completes ends as U+FFFD");
    }
}
