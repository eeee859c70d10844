package io.inventiv.worker.tools.gguf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fixture's tokenizer: a genuine byte-level BPE (GPT-2 style): 256 byte tokens, merged tokens
 * for a fixed list of English pieces, the ChatML special tokens, then unused padding.
 *
 * @param tokens    token texts in GPT-2 byte-level form, indexed by id
 * @param types     llama_token_type of each token
 * @param merges    the BPE merges, in rank order
 * @param printable tokens that get non-zero embedding rows (see {@link QwenFixtureModel})
 */
record QwenFixtureVocab(List<String> tokens, int[] types, List<String> merges, BitSet printable) {
    // llama_token_type values.
    private static final int NORMAL = 1, CONTROL = 3, UNUSED = 5;

    /**
     * Pieces that become single tokens; a leading space is part of the piece, as the Qwen2
     * pre-tokenizer attaches it to the following word. Intermediate merges ("Ġt", "Ġth", ...)
     * become tokens as well.
     */
    private static final String[] PIECES = {
            " the", " a", " and", " of", " to", " in", " is", " it", " that", " for", " you",
            " with", " on", " as", " was", " are", " be", " this", " have", " not", " but", " or",
            " at", " by", " from", " I", " we", " he", " she", " they", " can", " will", " what",
            " there", " one", " all", " about", " time", " some", " like", " just", " good",
            " new", " first", " know", " think", " yes", " no", " ok", " hi",
            "the", "in", "er", "on", "an", "re", "en", "es", "ed", "ing", "ion", "tion", "ly",
            "ent", "ter", "al", "ar", "st", "or", "at", "is", "it", "le", "ou", "The", "I",
            "hello", "Hello", " hello", " world", "world", " model", " token", " test", " answer",
            " question", " user", " assistant", " system", " tool", " function", " call",
            " result", " value", " name", " number", " text", " word", " code", " server",
            " request", " response", " data", " llama", " qwen", " java",
            "...", "\n\n", "  ", "    ", " (", " \"", "\")", "\",", ").", ");",
    };

    /** The vocabulary padded to {@code vocabSize} tokens (0: no padding). */
    static QwenFixtureVocab build(int vocabSize) {
        List<String> tokens = new ArrayList<>();
        Map<String, Integer> ids = new HashMap<>();
        BitSet printable = new BitSet();
        char[] byteChar = byteToUnicode();
        // Byte tokens in bytes_to_unicode order (printable bytes first), like GPT-2 and Qwen:
        // id 0 is "!". The BPE tokenizer falls back to these for anything without a merge.
        for (int b : byteOrder()) {
            String t = String.valueOf(byteChar[b]);
            if ((b >= 0x20 && b < 0x7f) || b == '\n') printable.set(tokens.size());
            ids.put(t, tokens.size());
            tokens.add(t);
        }
        Map<String, Integer> ranks = new LinkedHashMap<>();
        for (String piece : PIECES) {
            // Tokenize the piece with the merges so far, then merge the resulting symbols left
            // to right. New merges rank after all older ones, so replaying BPE on the piece
            // reproduces the same path and ends in one token: every token is reachable.
            List<String> segs = bpe(encode(piece, byteChar), ranks);
            String acc = segs.get(0);
            for (String seg : segs.subList(1, segs.size())) {
                ranks.putIfAbsent(acc + " " + seg, ranks.size());
                acc += seg;
                if (ids.putIfAbsent(acc, tokens.size()) == null) {
                    printable.set(tokens.size());
                    tokens.add(acc);
                }
            }
        }
        for (String piece : PIECES) { // self-check of the claim above
            if (bpe(encode(piece, byteChar), ranks).size() != 1) throw new IllegalStateException("unreachable piece " + piece);
        }
        int normal = tokens.size();
        tokens.addAll(List.of(QwenFixtureModel.END_OF_TEXT, QwenFixtureModel.IM_START, QwenFixtureModel.IM_END));
        if (vocabSize > 0 && vocabSize < tokens.size()) {
            throw new IllegalArgumentException("vocab size " + vocabSize + " < " + tokens.size() + " required tokens");
        }
        while (tokens.size() < vocabSize) tokens.add("[PAD" + tokens.size() + "]");
        int[] types = new int[tokens.size()];
        Arrays.fill(types, 0, normal, NORMAL);
        Arrays.fill(types, normal, normal + 3, CONTROL);
        // UNUSED (not USER_DEFINED): llama.cpp then never matches "[PAD..]" in input text.
        Arrays.fill(types, normal + 3, types.length, UNUSED);
        return new QwenFixtureVocab(tokens, types, List.copyOf(ranks.keySet()), printable);
    }

    /** Plain BPE: repeatedly merge the adjacent pair with the lowest rank (leftmost on ties). */
    private static List<String> bpe(String word, Map<String, Integer> ranks) {
        List<String> syms = new ArrayList<>();
        word.codePoints().forEach(cp -> syms.add(Character.toString(cp)));
        while (syms.size() > 1) {
            int best = -1, bestRank = Integer.MAX_VALUE;
            for (int i = 0; i + 1 < syms.size(); i++) {
                Integer r = ranks.get(syms.get(i) + " " + syms.get(i + 1));
                if (r != null && r < bestRank) { best = i; bestRank = r; }
            }
            if (best < 0) break;
            syms.set(best, syms.get(best) + syms.remove(best + 1));
        }
        return syms;
    }

    private static String encode(String text, char[] byteChar) {
        StringBuilder sb = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) sb.append(byteChar[b & 0xff]);
        return sb.toString();
    }

    /** GPT-2's byte order: '!'..'~', '¡'..'¬', '®'..'ÿ' keep their code points, then the rest. */
    private static int[] byteOrder() {
        int[] order = new int[256];
        int n = 0;
        for (int b = 0; b < 256; b++) if (keepsCodePoint(b)) order[n++] = b;
        for (int b = 0; b < 256; b++) if (!keepsCodePoint(b)) order[n++] = b;
        return order;
    }

    /** bytes_to_unicode: visible Latin-1 bytes map to themselves, the others to U+0100 onwards. */
    private static char[] byteToUnicode() {
        char[] map = new char[256];
        int next = 256;
        for (int b = 0; b < 256; b++) map[b] = keepsCodePoint(b) ? (char) b : (char) next++;
        return map;
    }

    private static boolean keepsCodePoint(int b) {
        return (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
    }
}
