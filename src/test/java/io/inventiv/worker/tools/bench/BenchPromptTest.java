package io.inventiv.worker.tools.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BenchPromptTest {
    /** Two tokens per word, like a tokenizer splitting every word in two. */
    private static int[] twoPerWord(String text) {
        String[] words = text.strip().split(" ");
        int[] ids = new int[words.length * 2];
        Arrays.setAll(ids, i -> i);
        return ids;
    }

    @Test
    void promptIsCutToExactlyTheRequestedTokens() {
        BenchPrompt prompt = BenchPrompt.ofTokens(96, BenchPromptTest::twoPerWord);
        assertEquals(96, prompt.length());
        assertEquals(96, prompt.tokens(5).length);
    }

    @Test
    void textIsLengthenedWhenTheTokenizerMergesWords() {
        BenchPrompt prompt = BenchPrompt.ofTokens(50, text -> new int[text.strip().split(" ").length / 3]);
        assertEquals(50, prompt.length());
    }

    @Test
    void rotationKeepsTheTokensButChangesTheFirst() {
        BenchPrompt prompt = BenchPrompt.ofTokens(10, BenchPromptTest::twoPerWord);
        int[] first = prompt.tokens(0);
        int[] second = prompt.tokens(1);
        assertNotEquals(first[0], second[0]);
        assertArrayEquals(Arrays.stream(first).sorted().toArray(), Arrays.stream(second).sorted().toArray());
        assertArrayEquals(Arrays.stream(first).sorted().toArray(), Arrays.stream(prompt.tokens(10)).sorted().toArray());
        assertNotEquals(Arrays.toString(first), Arrays.toString(prompt.tokens(10)),
                "after a full rotation the order changes, so no prompt comes back");
    }

    @Test
    void aSixteenTokenPromptGivesManyDistinctPrompts() {
        BenchPrompt prompt = BenchPrompt.ofTokens(16, text -> java.util.stream.IntStream.range(0, 64).map(i -> 1000 + i).toArray());
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < 128; i++) {
            assertTrue(seen.add(Arrays.toString(prompt.tokens(i))), "prompt " + i + " is new");
        }
    }

    @Test
    void textIsTheSameEveryRun() {
        assertEquals(BenchPrompt.text(40), BenchPrompt.text(40));
        assertEquals(40, BenchPrompt.text(40).strip().split(" ").length);
    }

    @Test
    void tokenizerThatNeverGivesEnoughIsAnError() {
        assertThrows(IllegalStateException.class, () -> BenchPrompt.ofTokens(10, text -> new int[1]));
    }
}
