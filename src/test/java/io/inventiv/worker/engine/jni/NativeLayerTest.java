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
    void aLoadReportsItsProgressUpToTheWholeFile() throws Exception {
        java.util.List<Double> reported = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (NativeModel again = NativeModel.load(TestModels.tinyQwen(), 0, reported::add)) {
            assertTrue(again.vocabSize() > 0);
        }
        assertTrue(!reported.isEmpty() && reported.get(reported.size() - 1) == 1.0, reported.toString());
        for (int i = 1; i < reported.size(); i++) {
            assertTrue(reported.get(i) >= reported.get(i - 1), "never backwards: " + reported);
        }
        try (NativeModel unbothered = NativeModel.load(TestModels.tinyQwen(), 0, fraction -> {
            throw new IllegalStateException("a listener that fails");
        })) {
            assertTrue(unbothered.vocabSize() > 0, "a failing listener does not stop the load");
        }
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
        assertThrows(IllegalArgumentException.class, () -> model.chatPrompt("{\"not\":\"an array\"}", null));
        assertThrows(IllegalArgumentException.class, () -> model.chatPrompt("[{\"role\":\"user\"", null));
        String prompt = model.chatPrompt("[{\"role\":\"user\",\"content\":\"hi\"}]", null);
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
    void aCopiedSequenceContinuesAsItsSource() {
        int[] prompt = model.tokenize("The server answers");
        int[] fromSource = continuation(prompt);
        context.truncate(1, prompt.length);
        context.copySequence(1, 0);
        assertArrayEquals(fromSource, continueFrom(0, prompt.length, fromSource[0]),
                "the copy holds the prompt and the tokens after it");
        assertThrows(IllegalArgumentException.class, () -> context.copySequence(1, 1));
        assertThrows(IllegalArgumentException.class, () -> context.copySequence(0, 2));
        context.truncate(0, 0);
    }

    /** Greedy tokens after the first, from a sequence that holds the prompt and {@code first} is next. */
    private static int[] continueFrom(int sequence, int position, int first) {
        int[] out = new int[6];
        out[0] = first;
        try (NativeSampler sampler = context.newSampler(greedy(), null, null, null, 0)) {
            int row = context.add(first, position, sequence, true);
            assertTrue(context.decode());
            for (int i = 1; i < out.length; i++) {
                out[i] = context.sample(sampler, row);
                row = context.add(out[i], position + i, sequence, true);
                assertTrue(context.decode());
            }
        }
        return out;
    }

    @Test
    void logprobsAreTheModelsDistributionAtARow() {
        int[] prompt = model.tokenize("Once upon a time");
        context.truncate(1, 0);
        int row = -1;
        for (int i = 0; i < prompt.length; i++) {
            row = context.add(prompt[i], i, 1, i == prompt.length - 1);
        }
        assertTrue(context.decode());
        NativeContext.Logprobs top = context.logprobs(row, 5, 8);
        assertEquals(8, top.topIds().length);
        double mass = 0;
        for (int i = 0; i < 8; i++) {
            assertTrue(top.topLogprobs()[i] <= 0, "a log-probability");
            assertTrue(i == 0 || top.topLogprobs()[i] <= top.topLogprobs()[i - 1], "most likely first");
            mass += Math.exp(top.topLogprobs()[i]);
        }
        assertTrue(mass <= 1.0001, "the top 8 hold at most all of the mass: " + mass);
        try (NativeSampler sampler = context.newSampler(greedy(), null, null, null, 0)) {
            int greedy = context.sample(sampler, row);
            assertEquals(top.topIds()[0], greedy, "greedy sampling takes the most likely token");
            assertEquals(top.topLogprobs()[0], context.logprobs(row, greedy, 0).logprob(), 1e-6);
        }
        int lastRow = row;
        assertThrows(IllegalArgumentException.class, () -> context.logprobs(lastRow + 1, 5, 1));
        assertThrows(IllegalArgumentException.class, () -> context.logprobs(lastRow, model.vocabSize(), 1));
        context.truncate(1, 0);
    }

    @Test
    void pooledEmbeddingsAreDeterministicAndRefuseBadIds() {
        try (NativeEmbedder embedder = model.newEmbedder(64, 1, NativeEmbedder.Pooling.MEAN)) {
            float[] first = embedder.embed(model.tokenize("a small test"));
            assertTrue(first.length > 0);
            assertArrayEquals(first, embedder.embed(model.tokenize("a small test")), 0f, "same input, same vector");
            float[] other = embedder.embed(model.tokenize("something else entirely"));
            assertEquals(first.length, other.length);
            assertTrue(!java.util.Arrays.equals(first, other), "other input, other vector");
            assertThrows(IllegalArgumentException.class, () -> embedder.embed(new int[] {model.vocabSize()}));
            assertThrows(IllegalArgumentException.class, () -> embedder.embed(new int[0]));
            assertThrows(IllegalArgumentException.class, () -> embedder.embed(new int[65]));
        }
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
