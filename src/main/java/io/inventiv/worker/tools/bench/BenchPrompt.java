package io.inventiv.worker.tools.bench;

import java.util.Arrays;
import java.util.function.Function;

/**
 * The prompts of a run: one base sequence of exactly {@code promptTokens} token ids, rotated by
 * the request index. Rotation keeps the length and the token mix, while giving every request a
 * different first token: llama.cpp reuses a slot's cached prompt prefix, and a repeated prompt
 * would skip prefill and fake a tiny TTFT. Every target (HTTP servers, the raw binding, the
 * engine) is given the same ids, tokenized from the same text by the model's own tokenizer.
 *
 * <p>When a server cannot tokenize, the prompt falls back to text of about one word per token,
 * rotated by words; the usage chunk then tells the real length.
 */
public final class BenchPrompt {
    private static final String[] WORDS = ("the of and to in is that it was for on are as with his they at be this "
            + "from have or by one had not but what all were when we there can an your which their said if do "
            + "will each about how up out them then she many some so these would other into has more her two "
            + "like him see time could no make than first been its who now people my made over did down only "
            + "way find use may water long little very after words called just where most know get through back "
            + "much before go good new write our used me man too any day same right look think also around "
            + "another came come work three word must because does part even place well such here take why "
            + "things help put years different away again off went old number great tell men say small every "
            + "found still between name should home big give air line set own under read last never us left end "
            + "along while might next sound below saw something thought both few those always looked show large "
            + "often together asked house world going want school important until form food keep children feet "
            + "land side without boy once animals life enough took sometimes four head above kind began almost "
            + "live page got earth need far hand high year mother light parts country father let night following "
            + "picture being study second eyes soon times story boys since white days paper hard near sentence "
            + "better best across during today others however sure means knew why try told young miles sun ways "
            + "thing whole hear example heard several change answer room sea against top turned learn point city "
            + "play toward five using himself usually").split(" ");

    private final int[] baseTokens;
    private final String[] baseWords;

    private BenchPrompt(int[] baseTokens, String[] baseWords) {
        this.baseTokens = baseTokens;
        this.baseWords = baseWords;
    }

    /**
     * Exactly {@code promptTokens} ids from a tokenizer (text → ids, without special tokens).
     * The text is lengthened until it yields enough tokens, then the ids are cut.
     */
    public static BenchPrompt ofTokens(int promptTokens, Function<String, int[]> tokenizer) {
        int words = promptTokens;
        for (int attempt = 0; attempt < 6; attempt++, words *= 2) {
            int[] ids = tokenizer.apply(text(words));
            if (ids.length >= promptTokens) {
                return new BenchPrompt(Arrays.copyOf(ids, promptTokens), null);
            }
        }
        throw new IllegalStateException("the tokenizer gave fewer than " + promptTokens + " tokens for "
                + words + " words");
    }

    /** About {@code promptTokens} tokens of text, for servers without a tokenize endpoint. */
    public static BenchPrompt approximateText(int promptTokens) {
        return new BenchPrompt(null, text(promptTokens).strip().split(" "));
    }

    /** A fixed, varied English-like text of {@code words} words, each preceded by a space. */
    static String text(int words) {
        StringBuilder text = new StringBuilder(words * 7);
        long state = 0x9E3779B97F4A7C15L; // fixed: every run and target sees the same text
        for (int i = 0; i < words; i++) {
            state = state * 6364136223846793005L + 1442695040888963407L;
            text.append(' ').append(WORDS[(int) ((state >>> 33) % WORDS.length)]);
        }
        return text.toString();
    }

    public boolean exact() {
        return baseTokens != null;
    }

    /** Number of tokens (exact) or words (approximate) per prompt. */
    public int length() {
        return exact() ? baseTokens.length : baseWords.length;
    }

    /**
     * The ids of prompt number {@code index}: the base ids rotated left by {@code index}, read with
     * a stride that changes every {@code length} prompts (1, then the next number coprime with the
     * length, ...). So a short prompt does not come back after {@code length} requests: servers
     * that keep earlier prompts in memory (llama-server's RAM cache) would skip its prefill.
     */
    public int[] tokens(int index) {
        int length = baseTokens.length;
        int rotation = Math.floorMod(index, length);
        int stride = stride(Math.floorDiv(index, length), length);
        int[] tokens = new int[length];
        for (int i = 0; i < length; i++) {
            tokens[i] = baseTokens[(int) ((rotation + (long) i * stride) % length)];
        }
        return tokens;
    }

    /** The {@code block}-th number coprime with {@code length}, cycling through those below it. */
    private static int stride(int block, int length) {
        int[] coprimes = java.util.stream.IntStream.range(1, Math.max(2, length))
                .filter(k -> java.math.BigInteger.valueOf(k).gcd(java.math.BigInteger.valueOf(length)).intValue() == 1)
                .toArray();
        return coprimes[Math.floorMod(block, coprimes.length)];
    }

    /** The text of prompt number {@code index}, in approximate mode: the words rotated. */
    public String text(int index, boolean leadingSpace) {
        int shift = Math.floorMod(index, baseWords.length);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < baseWords.length; i++) {
            if (i > 0 || leadingSpace) {
                text.append(' ');
            }
            text.append(baseWords[(i + shift) % baseWords.length]);
        }
        return text.toString();
    }
}
