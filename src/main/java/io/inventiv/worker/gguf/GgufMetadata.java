package io.inventiv.worker.gguf;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the key/value header of a GGUF file (not the tensors).
 *
 * <p>Why we read it ourselves: llama.cpp only says "could not load model" through the binding,
 * and it hides facts we need for exact accounting (does the tokenizer add BOS? how large is the
 * vocabulary, so that token ids can be range-checked before they reach native code?).
 * Arrays other than the token list are skipped; the token list is only counted.
 */
public final class GgufMetadata {
    private static final long MAX_STRING_BYTES = 64L * 1024 * 1024;
    /** Longer than any end-of-generation token text. */
    private static final int MAX_CANDIDATE_BYTES = 32;

    /**
     * Token texts that llama.cpp treats as end of generation besides the declared EOS (its
     * "EOG" set, llama-vocab.cpp). Sampling any of them ends a generation.
     */
    private static final Set<String> END_OF_GENERATION_TEXTS = Set.of("<|eot_id|>", "<|im_end|>", "<|end|>",
            "<end_of_turn>", "<|endoftext|>", "<EOT>", "_<EOT>", "<｜end▁of▁sentence｜>", "<|eom_id|>",
            "<|end_of_text|>", "</s>");

    private final int version;
    private final Map<String, Object> values;
    private final long vocabSize;
    private final List<Integer> endOfGenerationTokens;

    private GgufMetadata(int version, Map<String, Object> values, long vocabSize, List<Integer> endOfGeneration) {
        this.version = version;
        this.values = values;
        this.vocabSize = vocabSize;
        this.endOfGenerationTokens = List.copyOf(endOfGeneration);
    }

    /** Reads the header; throws {@link GgufFormatException} with a reason a user can act on. */
    public static GgufMetadata read(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return read(new LittleEndian(in));
        } catch (EOFException e) {
            throw new GgufFormatException("file is truncated: it ends inside the GGUF header");
        }
    }

    private static GgufMetadata read(LittleEndian in) throws IOException {
        int magic = in.i32();
        if (magic != GgufType.MAGIC) {
            throw new GgufFormatException("not a GGUF file (the first 4 bytes are not 'GGUF')");
        }
        int version = in.i32();
        if (version == 1) {
            throw new GgufFormatException("GGUF v1 is no longer supported by llama.cpp; convert the model again");
        }
        if (version < 1 || version > 3) {
            throw new GgufFormatException("unsupported GGUF version " + version);
        }
        long tensorCount = in.i64();
        long kvCount = in.i64();
        if (tensorCount < 0 || kvCount < 0 || kvCount > 1_000_000) {
            throw new GgufFormatException("corrupt GGUF header (tensor or key count out of range)");
        }
        Map<String, Object> values = new HashMap<>();
        long vocabSize = -1;
        List<Integer> endOfGeneration = new ArrayList<>();
        for (long i = 0; i < kvCount; i++) {
            String key = in.string();
            int type = in.i32();
            if (type == GgufType.ARRAY) {
                int elementType = in.i32();
                long length = in.i64();
                if (length < 0) {
                    throw new GgufFormatException("corrupt array length for key " + key);
                }
                if (key.equals("tokenizer.ggml.tokens") && elementType == GgufType.STRING) {
                    vocabSize = length;
                    for (long j = 0; j < length; j++) {
                        if (in.shortStringIn(END_OF_GENERATION_TEXTS)) {
                            endOfGeneration.add((int) j);
                        }
                    }
                    continue;
                }
                for (long j = 0; j < length; j++) {
                    in.skipValue(elementType);
                }
            } else {
                values.put(key, in.value(type));
            }
        }
        return new GgufMetadata(version, values, vocabSize, endOfGeneration);
    }

    public int version() {
        return version;
    }

    /** Number of entries in {@code tokenizer.ggml.tokens}, or -1 when the file has no vocabulary. */
    public long vocabSize() {
        return vocabSize;
    }

    /** Ids of tokens whose text llama.cpp treats as an end of generation. */
    public List<Integer> endOfGenerationTokens() {
        return endOfGenerationTokens;
    }

    public Optional<String> string(String key) {
        return values.get(key) instanceof String s ? Optional.of(s) : Optional.empty();
    }

    public Optional<Long> integer(String key) {
        return values.get(key) instanceof Number n && !(values.get(key) instanceof Double)
                ? Optional.of(n.longValue()) : Optional.empty();
    }

    public Optional<Boolean> bool(String key) {
        return values.get(key) instanceof Boolean b ? Optional.of(b) : Optional.empty();
    }

    /** Thrown when the file is not a usable GGUF; the message is the reason. */
    public static final class GgufFormatException extends IOException {
        public GgufFormatException(String message) {
            super(message);
        }
    }

    /** Little-endian primitive reads over a stream, as GGUF stores everything. */
    private static final class LittleEndian {
        private final DataInputStream in;

        LittleEndian(InputStream in) {
            this.in = new DataInputStream(in);
        }

        int i32() throws IOException {
            return Integer.reverseBytes(in.readInt());
        }

        long i64() throws IOException {
            return Long.reverseBytes(in.readLong());
        }

        String string() throws IOException {
            long length = i64();
            if (length < 0 || length > MAX_STRING_BYTES) {
                throw new GgufFormatException("corrupt string length " + length);
            }
            return new String(in.readNBytes((int) length), StandardCharsets.UTF_8);
        }

        /**
         * Reads one string and tells whether it is one of {@code candidates}, without building
         * the ~150,000 strings of a large vocabulary: only short ones are decoded.
         */
        boolean shortStringIn(Set<String> candidates) throws IOException {
            long length = checkedLength(i64());
            if (length > MAX_CANDIDATE_BYTES) {
                in.skipNBytes(length);
                return false;
            }
            return candidates.contains(new String(in.readNBytes((int) length), StandardCharsets.UTF_8));
        }

        Object value(int type) throws IOException {
            return switch (type) {
                case GgufType.UINT8 -> (long) in.readUnsignedByte();
                case GgufType.INT8 -> (long) in.readByte();
                case GgufType.UINT16 -> (long) Short.toUnsignedInt(Short.reverseBytes(in.readShort()));
                case GgufType.INT16 -> (long) Short.reverseBytes(in.readShort());
                case GgufType.UINT32 -> Integer.toUnsignedLong(i32());
                case GgufType.INT32 -> (long) i32();
                case GgufType.FLOAT32 -> (double) Float.intBitsToFloat(i32());
                case GgufType.BOOL -> in.readByte() != 0;
                case GgufType.STRING -> string();
                case GgufType.UINT64, GgufType.INT64 -> i64();
                case GgufType.FLOAT64 -> Double.longBitsToDouble(i64());
                default -> throw new GgufFormatException("unknown GGUF value type " + type);
            };
        }

        void skipValue(int type) throws IOException {
            int size = switch (type) {
                case GgufType.UINT8, GgufType.INT8, GgufType.BOOL -> 1;
                case GgufType.UINT16, GgufType.INT16 -> 2;
                case GgufType.UINT32, GgufType.INT32, GgufType.FLOAT32 -> 4;
                case GgufType.UINT64, GgufType.INT64, GgufType.FLOAT64 -> 8;
                case GgufType.STRING -> -1;
                default -> throw new GgufFormatException("unsupported GGUF array element type " + type);
            };
            long toSkip = size >= 0 ? size : checkedLength(i64());
            in.skipNBytes(toSkip);
        }

        private static long checkedLength(long length) throws GgufFormatException {
            if (length < 0 || length > MAX_STRING_BYTES) {
                throw new GgufFormatException("corrupt string length " + length);
            }
            return length;
        }
    }
}
