package io.inventiv.worker.gguf;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
    private static final List<byte[]> END_OF_GENERATION_BYTES = END_OF_GENERATION_TEXTS.stream()
            .map(text -> text.getBytes(StandardCharsets.UTF_8)).toList();

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
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(new LittleEndian(channel));
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
                        if (in.shortStringIn(END_OF_GENERATION_BYTES)) {
                            endOfGeneration.add((int) j);
                        }
                    }
                    continue;
                }
                in.skipArray(elementType, length);
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

    /**
     * Little-endian reads through one buffer over the file, as GGUF stores everything. A Qwen
     * header holds about 300,000 strings (tokens and merges), which a DataInputStream's per-read
     * overhead made a visible part of every start.
     */
    private static final class LittleEndian {
        private final FileChannel channel;
        private final ByteBuffer buffer = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN).limit(0);

        LittleEndian(FileChannel channel) {
            this.channel = channel;
        }

        /** Makes at least {@code n} bytes (at most the buffer's capacity) readable from the buffer. */
        private void ensure(int n) throws IOException {
            if (buffer.remaining() >= n) {
                return;
            }
            buffer.compact();
            while (buffer.position() < n) {
                if (channel.read(buffer) < 0) {
                    throw new EOFException();
                }
            }
            buffer.flip();
        }

        int i32() throws IOException {
            ensure(4);
            return buffer.getInt();
        }

        long i64() throws IOException {
            ensure(8);
            return buffer.getLong();
        }

        private byte[] bytes(int n) throws IOException {
            byte[] out = new byte[n];
            int fromBuffer = Math.min(n, buffer.remaining());
            buffer.get(out, 0, fromBuffer);
            ByteBuffer rest = ByteBuffer.wrap(out, fromBuffer, n - fromBuffer);
            while (rest.hasRemaining()) {
                if (channel.read(rest) < 0) {
                    throw new EOFException();
                }
            }
            return out;
        }

        private void skip(long n) throws IOException {
            if (n <= buffer.remaining()) {
                buffer.position(buffer.position() + (int) n);
                return;
            }
            long target = channel.position() + (n - buffer.remaining());
            buffer.position(buffer.limit());
            if (target > channel.size()) {
                throw new EOFException();
            }
            channel.position(target);
        }

        String string() throws IOException {
            return new String(bytes((int) checkedLength(i64())), StandardCharsets.UTF_8);
        }

        /**
         * Reads one string and tells whether its bytes equal one of {@code candidates}, without
         * building the ~150,000 strings of a large vocabulary.
         */
        boolean shortStringIn(List<byte[]> candidates) throws IOException {
            long length = checkedLength(i64());
            if (length > MAX_CANDIDATE_BYTES) {
                skip(length);
                return false;
            }
            int n = (int) length;
            ensure(n);
            boolean found = false;
            for (byte[] candidate : candidates) {
                if (candidate.length == n && buffer.slice(buffer.position(), n).equals(ByteBuffer.wrap(candidate))) {
                    found = true;
                    break;
                }
            }
            buffer.position(buffer.position() + n);
            return found;
        }

        Object value(int type) throws IOException {
            return switch (type) {
                case GgufType.UINT8 -> (long) Byte.toUnsignedInt(u8());
                case GgufType.INT8 -> (long) u8();
                case GgufType.UINT16 -> (long) Short.toUnsignedInt(i16());
                case GgufType.INT16 -> (long) i16();
                case GgufType.UINT32 -> Integer.toUnsignedLong(i32());
                case GgufType.INT32 -> (long) i32();
                case GgufType.FLOAT32 -> (double) Float.intBitsToFloat(i32());
                case GgufType.BOOL -> u8() != 0;
                case GgufType.STRING -> string();
                case GgufType.UINT64, GgufType.INT64 -> i64();
                case GgufType.FLOAT64 -> Double.longBitsToDouble(i64());
                default -> throw new GgufFormatException("unknown GGUF value type " + type);
            };
        }

        private byte u8() throws IOException {
            ensure(1);
            return buffer.get();
        }

        private short i16() throws IOException {
            ensure(2);
            return buffer.getShort();
        }

        /** Skips an array's elements: fixed-size ones in one step, strings one by one. */
        void skipArray(int elementType, long length) throws IOException {
            int size = switch (elementType) {
                case GgufType.UINT8, GgufType.INT8, GgufType.BOOL -> 1;
                case GgufType.UINT16, GgufType.INT16 -> 2;
                case GgufType.UINT32, GgufType.INT32, GgufType.FLOAT32 -> 4;
                case GgufType.UINT64, GgufType.INT64, GgufType.FLOAT64 -> 8;
                case GgufType.STRING -> -1;
                default -> throw new GgufFormatException("unsupported GGUF array element type " + elementType);
            };
            if (size > 0) {
                if (length > Long.MAX_VALUE / size) {
                    throw new GgufFormatException("corrupt array length " + length);
                }
                skip(length * size);
                return;
            }
            for (long j = 0; j < length; j++) {
                skip(checkedLength(i64()));
            }
        }

        private static long checkedLength(long length) throws GgufFormatException {
            if (length < 0 || length > MAX_STRING_BYTES) {
                throw new GgufFormatException("corrupt string length " + length);
            }
            return length;
        }
    }
}
