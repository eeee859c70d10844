package io.inventiv.worker.tools.gguf;

import io.inventiv.worker.tools.gguf.GgufWriter.RowSource;
import io.inventiv.worker.tools.gguf.GgufWriter.TensorType;
import io.inventiv.worker.tools.gguf.QwenModelSpec.FileType;
import io.inventiv.worker.tools.gguf.QwenModelSpec.Weight;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes a deterministic, randomly initialised qwen2-architecture GGUF that llama.cpp loads
 * and generates with: a real model file for tests and benchmarks without downloading one.
 *
 * <p>The tokenizer is a genuine byte-level BPE (GPT-2 style, Qwen2 pre-tokenizer): 256 byte
 * tokens, merged tokens for a fixed list of English pieces, the ChatML special tokens, then
 * unused padding up to the spec's vocab size. The chat template is our own ChatML template.
 *
 * <p>Only "printable" tokens (printable ASCII bytes, newline and merged pieces) get non-zero
 * embedding rows. With tied embeddings a zero row means a logit of exactly 0, while the best of
 * the ~250 random printable logits is positive, so greedy decoding never emits control tokens,
 * padding, or lone UTF-8 continuation bytes (the server would hold those back as incomplete
 * characters and a test would see fewer streamed chunks than tokens).
 */
public final class QwenFixtureModel {

    public static final String END_OF_TEXT = "<|endoftext|>";
    public static final String IM_START = "<|im_start|>";
    public static final String IM_END = "<|im_end|>";

    /**
     * ChatML: the tools, when a request offers some, render first as a system turn listing each
     * function's name and description; every role (system, user, assistant, tool) renders as
     * {@code <|im_start|>role\ncontent<|im_end|>\n}. Assistant tool calls render as one JSON
     * object per line after the content. Rendering them at all matters with {@code --jinja}:
     * llama.cpp's template engine (minja) only trusts a template with "tool" messages if it also
     * renders tool calls, and otherwise rewrites tool results into user messages. The calls are
     * deliberately not wrapped in {@code <tool_call>} tags, which would make llama.cpp switch
     * to its Hermes tool-call format.
     */
    public static final String CHAT_TEMPLATE = """
            {%- if tools is defined and tools -%}
            {{- '<|im_start|>system\\n# Tools\\n' -}}
            {%- for tool in tools -%}
            {{- tool['function']['name'] + ': ' + (tool['function']['description'] or '') + '\\n' -}}
            {%- endfor -%}
            {{- '<|im_end|>\\n' -}}
            {%- endif -%}
            {%- for message in messages -%}
            {{- '<|im_start|>' + message['role'] + '\\n' -}}
            {%- if message['content'] is string -%}{{- message['content'] -}}{%- endif -%}
            {%- if message['tool_calls'] is defined and message['tool_calls'] -%}
            {%- for call in message['tool_calls'] -%}
            {%- set f = call['function'] -%}
            {{- '\\n' if (not loop.first or message['content']) else '' -}}
            {{- '{"name": "' + f['name'] + '", "arguments": ' -}}
            {{- (f['arguments'] if f['arguments'] is string else f['arguments'] | tojson) + '}' -}}
            {%- endfor -%}
            {%- endif -%}
            {{- '<|im_end|>\\n' -}}
            {%- endfor -%}
            {%- if add_generation_prompt -%}{{- '<|im_start|>assistant\\n' -}}{%- endif -%}
            """;

    /*
     * Weight scales. With the usual 0.02 everywhere, a random model's residual stream is
     * dominated by the input embedding and the biases, and greedy decoding repeats one token
     * forever. Variance-preserving matrices (std ~ 1/sqrt(fan_in)) with a stronger FFN make the
     * next token a pseudo-random function of the context instead, so generations are varied
     * text, which is more useful for testing streaming, stop strings and detokenization.
     */
    private static final float EMBD_STD = 0.02f, BIAS_STD = 0.02f;
    private static final float ATTN_GAIN = 1f, FFN_IN_GAIN = 1.5f, FFN_DOWN_GAIN = 2f;

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

    private QwenFixtureModel() {}

    /** Writes the model for {@code spec} to {@code out} (atomically, via a temporary file). */
    public static void write(QwenModelSpec spec, Path out) throws IOException {
        build(spec).write(out);
    }

    /** Every tensor {@link #write} would write, with its encoding, in file order. */
    public static Map<String, TensorType> tensorTypes(QwenModelSpec spec) {
        return build(spec).tensorTypes();
    }

    /** The writer, with all metadata and tensors declared; weights are drawn only as it writes. */
    private static GgufWriter build(QwenModelSpec spec) {
        Vocab vocab = buildVocab(spec.vocabSize());
        FileType fileType = spec.fileType();
        GgufWriter w = new GgufWriter();
        w.putString("general.architecture", "qwen2");
        w.putString("general.name", spec.name());
        w.putUInt32(GgufWriter.ALIGNMENT_KEY, GgufWriter.DEFAULT_ALIGNMENT);
        // llama.cpp reads these with exact types: uint32 for counts, float32 for rope/eps.
        w.putUInt32("general.file_type", fileType.id);
        if (fileType.isQuantized()) w.putUInt32("general.quantization_version", 2);
        w.putUInt32("qwen2.context_length", spec.contextLength());
        w.putUInt32("qwen2.embedding_length", spec.nEmbd());
        w.putUInt32("qwen2.feed_forward_length", spec.nFf());
        w.putUInt32("qwen2.block_count", spec.nLayer());
        w.putUInt32("qwen2.attention.head_count", spec.nHead());
        w.putUInt32("qwen2.attention.head_count_kv", spec.nHeadKv());
        w.putFloat32("qwen2.rope.freq_base", spec.ropeTheta());
        w.putFloat32("qwen2.attention.layer_norm_rms_epsilon", spec.rmsEps());

        w.putString("tokenizer.ggml.model", "gpt2");
        w.putString("tokenizer.ggml.pre", "qwen2");
        w.putStringArray("tokenizer.ggml.tokens", vocab.tokens);
        w.putInt32Array("tokenizer.ggml.token_type", vocab.types);
        w.putStringArray("tokenizer.ggml.merges", vocab.merges);
        int eot = vocab.tokens.indexOf(END_OF_TEXT);
        w.putUInt32("tokenizer.ggml.eos_token_id", vocab.tokens.indexOf(IM_END));
        w.putUInt32("tokenizer.ggml.bos_token_id", eot);
        w.putUInt32("tokenizer.ggml.padding_token_id", eot);
        w.putBool("tokenizer.ggml.add_bos_token", false);
        w.putString("tokenizer.chat_template", CHAT_TEMPLATE);

        int e = spec.nEmbd(), kv = spec.nEmbdKv(), ff = spec.nFf();
        Weights rnd = new Weights(spec.seed());
        // Tied embeddings: no output.weight, so llama.cpp reuses token_embd for the logits.
        w.addTensor("token_embd.weight", spec.typeOf(Weight.TOKEN_EMBD, 0), new long[]{e, spec.vocabSize()},
                rnd.uniform("token_embd.weight", EMBD_STD, vocab.printable));
        for (int i = 0; i < spec.nLayer(); i++) {
            String b = "blk." + i + ".";
            w.addTensor(b + "attn_norm.weight", TensorType.F32, new long[]{e}, Weights.ONES);
            matrix(w, rnd, spec, Weight.ATTN_Q, i, e, ATTN_GAIN);
            matrix(w, rnd, spec, Weight.ATTN_K, i, kv, ATTN_GAIN);
            matrix(w, rnd, spec, Weight.ATTN_V, i, kv, ATTN_GAIN);
            // Qwen2 has q/k/v biases but none on the other projections.
            for (String bias : List.of("attn_q", "attn_k", "attn_v")) {
                w.addTensor(b + bias + ".bias", TensorType.F32, new long[]{bias.equals("attn_q") ? e : kv},
                        rnd.uniform(b + bias + ".bias", BIAS_STD, null));
            }
            matrix(w, rnd, spec, Weight.ATTN_OUTPUT, i, e, ATTN_GAIN);
            w.addTensor(b + "ffn_norm.weight", TensorType.F32, new long[]{e}, Weights.ONES);
            matrix(w, rnd, spec, Weight.FFN_GATE, i, ff, FFN_IN_GAIN);
            matrix(w, rnd, spec, Weight.FFN_UP, i, ff, FFN_IN_GAIN);
            matrix(w, rnd, spec, Weight.FFN_DOWN, i, e, FFN_DOWN_GAIN);
        }
        w.addTensor("output_norm.weight", TensorType.F32, new long[]{e}, Weights.ONES);
        return w;
    }

    /** Block {@code layer}'s {@code rows x in} matrix, with standard deviation gain / sqrt(in). */
    private static void matrix(GgufWriter w, Weights rnd, QwenModelSpec spec, Weight weight, int layer, int rows, float gain) {
        int in = weight == Weight.FFN_DOWN ? spec.nFf() : spec.nEmbd();
        String name = "blk." + layer + "." + weight.name().toLowerCase(Locale.ROOT) + ".weight";
        w.addTensor(name, spec.typeOf(weight, layer), new long[]{in, rows}, rnd.uniform(name, gain / (float) Math.sqrt(in), null));
    }

    /** The token texts (in GPT-2 byte-level form, e.g. "Ġworld"), indexed by token id. */
    public static List<String> vocabulary(int vocabSize) {
        return List.copyOf(buildVocab(vocabSize).tokens);
    }

    /** Tokens the vocabulary needs before padding; a spec's vocab size must be at least this. */
    public static int minVocabSize() {
        return buildVocab(0).tokens.size();
    }

    // ---- tokenizer ------------------------------------------------------------------------

    private record Vocab(List<String> tokens, int[] types, List<String> merges, BitSet printable) {}

    private static Vocab buildVocab(int vocabSize) {
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
        tokens.addAll(List.of(END_OF_TEXT, IM_START, IM_END));
        if (vocabSize > 0 && vocabSize < tokens.size()) {
            throw new IllegalArgumentException("vocab size " + vocabSize + " < " + tokens.size() + " required tokens");
        }
        while (tokens.size() < vocabSize) tokens.add("[PAD" + tokens.size() + "]");
        int[] types = new int[tokens.size()];
        Arrays.fill(types, 0, normal, NORMAL);
        Arrays.fill(types, normal, normal + 3, CONTROL);
        // UNUSED (not USER_DEFINED): llama.cpp then never matches "[PAD..]" in input text.
        Arrays.fill(types, normal + 3, types.length, UNUSED);
        return new Vocab(tokens, types, List.copyOf(ranks.keySet()), printable);
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

    // ---- weights --------------------------------------------------------------------------

    /**
     * Every row is a pure function of (seed, tensor name, row index): the same spec always gives
     * the same bytes, whatever order or however often the rows are requested. Values are
     * uniform (cheap to draw; the distribution's shape does not matter here).
     */
    private record Weights(long seed) {
        static final RowSource ONES = (row, dst) -> Arrays.fill(dst, 1f);

        /** Uniform values with standard deviation {@code std}; zero rows where {@code keep} is clear. */
        RowSource uniform(String tensor, float std, BitSet keep) {
            long tensorSeed = mix(seed ^ fnv1a(tensor));
            float scale = (float) (std * Math.sqrt(3) / 2147483648.0); // int32 -> [-std*sqrt3, std*sqrt3)
            return (row, dst) -> {
                if (keep != null && !keep.get((int) row)) {
                    Arrays.fill(dst, 0f);
                    return;
                }
                // Scrambled per-row seeds: plain consecutive seeds would give rows that are
                // shifted copies of each other, as SplittableRandom just adds a constant.
                SplittableRandom rng = new SplittableRandom(mix(tensorSeed + row));
                // One 64-bit draw gives two values: this loop dominates the 0.5B write time.
                for (int i = 0; i < dst.length; i += 2) {
                    long bits = rng.nextLong();
                    dst[i] = (int) bits * scale;
                    if (i + 1 < dst.length) dst[i + 1] = (int) (bits >>> 32) * scale;
                }
            };
        }

        /** MurmurHash3's 64-bit finalizer: a cheap bijection that scatters nearby inputs. */
        private static long mix(long z) {
            z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
            z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
            return z ^ (z >>> 33);
        }

        private static long fnv1a(String s) {
            long h = 0xcbf29ce484222325L;
            for (byte b : s.getBytes(StandardCharsets.UTF_8)) h = (h ^ (b & 0xff)) * 0x100000001b3L;
            return h;
        }
    }
}
