package io.inventiv.worker.tools.gguf;

import io.inventiv.worker.tools.gguf.GgufWriter.RowSource;
import io.inventiv.worker.tools.gguf.GgufWriter.TensorType;
import io.inventiv.worker.tools.gguf.QwenModelSpec.FileType;
import io.inventiv.worker.tools.gguf.QwenModelSpec.Weight;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.BitSet;
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
        QwenFixtureVocab vocab = QwenFixtureVocab.build(spec.vocabSize());
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
        w.putStringArray("tokenizer.ggml.tokens", vocab.tokens());
        w.putInt32Array("tokenizer.ggml.token_type", vocab.types());
        w.putStringArray("tokenizer.ggml.merges", vocab.merges());
        int eot = vocab.tokens().indexOf(END_OF_TEXT);
        w.putUInt32("tokenizer.ggml.eos_token_id", vocab.tokens().indexOf(IM_END));
        w.putUInt32("tokenizer.ggml.bos_token_id", eot);
        w.putUInt32("tokenizer.ggml.padding_token_id", eot);
        w.putBool("tokenizer.ggml.add_bos_token", false);
        w.putString("tokenizer.chat_template", CHAT_TEMPLATE);

        int e = spec.nEmbd(), kv = spec.nEmbdKv(), ff = spec.nFf();
        Weights rnd = new Weights(spec.seed());
        // Tied embeddings: no output.weight, so llama.cpp reuses token_embd for the logits.
        w.addTensor("token_embd.weight", spec.typeOf(Weight.TOKEN_EMBD, 0), new long[]{e, spec.vocabSize()},
                rnd.uniform("token_embd.weight", EMBD_STD, vocab.printable()));
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
        return List.copyOf(QwenFixtureVocab.build(vocabSize).tokens());
    }

    /** Tokens the vocabulary needs before padding; a spec's vocab size must be at least this. */
    public static int minVocabSize() {
        return QwenFixtureVocab.build(0).tokens().size();
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
