package io.inventiv.worker.tools.gguf;

import io.inventiv.worker.gguf.GgufType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes GGUF version 3 files (the format llama.cpp loads; see llama.cpp's docs/gguf.md).
 *
 * <p>Layout: header, metadata key/values, tensor infos, padding to {@code general.alignment},
 * then each tensor's data padded to the alignment. All numbers are little-endian.
 *
 * <p>Metadata is small and is encoded in memory; tensor data is <em>streamed</em>: each tensor
 * is described by a {@link RowSource} that fills one row (ne0 floats) at a time, and the writer
 * encodes rows straight into a fixed-size buffer. That keeps memory flat even for a 0.5B model
 * (a 151936x896 embedding would be 545 MB as floats).
 *
 * <p>Not thread-safe; build it, then call {@link #write(Path)} once.
 */
public final class GgufWriter {

    /** Tensor encodings this writer can produce. The numbers are ggml's {@code ggml_type} ids. */
    public enum TensorType {
        F32(0, 1, 4), F16(1, 1, 2), Q4_0(2, 32, 18), Q5_0(6, 32, 22), Q8_0(8, 32, 34),
        /** K-quants: super-blocks of 256, so rows must be multiples of 256. */
        Q4_K(12, 256, 144), Q6_K(14, 256, 210);

        final int ggmlId, blockBytes;
        /** Elements per block; a row's length must be a multiple of it. */
        public final int blockSize;

        TensorType(int ggmlId, int blockSize, int blockBytes) {
            this.ggmlId = ggmlId; this.blockSize = blockSize; this.blockBytes = blockBytes;
        }

        /** Bytes taken by {@code elements} values (which must be a multiple of the block size). */
        public long bytes(long elements) {
            return elements / blockSize * blockBytes;
        }
    }

    /**
     * Produces a tensor's values row by row. The writer calls it for rows 0, 1, ... in order,
     * exactly once each, so an implementation may keep a running random generator.
     */
    @FunctionalInterface
    public interface RowSource {
        void fillRow(long row, float[] dst);
    }

    public static final String ALIGNMENT_KEY = "general.alignment";
    public static final int DEFAULT_ALIGNMENT = 32;

    // gguf_type ids for metadata values.
    private static final int VERSION = 3;
    private static final int MAX_NAME = 63;      // ggml keeps names in char[64] incl. the NUL
    private static final int CHUNK = 4 << 20;

    private record Tensor(String name, TensorType type, long[] shape, RowSource rows) {
        long elements() { return java.util.Arrays.stream(shape).reduce(1, Math::multiplyExact); }
    }

    private final LeBytes kv = new LeBytes();
    private final Set<String> keys = new LinkedHashSet<>();
    private final Map<String, Tensor> tensors = new LinkedHashMap<>();
    private int alignment = DEFAULT_ALIGNMENT;

    public GgufWriter putUInt32(String key, long value) {
        if (value < 0 || value > 0xFFFF_FFFFL) throw new IllegalArgumentException(key + ": not a uint32");
        if (ALIGNMENT_KEY.equals(key)) {
            // ggml rounds offsets with bit masks, so only powers of two work.
            if (value == 0 || Long.bitCount(value) != 1) throw new IllegalArgumentException("alignment must be a power of two");
            alignment = (int) value;
        }
        header(key, GgufType.UINT32).u32((int) value);
        return this;
    }

    public GgufWriter putInt32(String key, int value) { header(key, GgufType.INT32).u32(value); return this; }

    public GgufWriter putFloat32(String key, float value) { header(key, GgufType.FLOAT32).u32(Float.floatToRawIntBits(value)); return this; }

    public GgufWriter putBool(String key, boolean value) { header(key, GgufType.BOOL).u8(value ? 1 : 0); return this; }

    public GgufWriter putString(String key, String value) { header(key, GgufType.STRING).str(value); return this; }

    public GgufWriter putUInt64(String key, long value) { header(key, GgufType.UINT64).u64(value); return this; }

    public GgufWriter putStringArray(String key, List<String> values) {
        header(key, GgufType.ARRAY).u32(GgufType.STRING).u64(values.size());
        for (String v : values) kv.str(v);
        return this;
    }

    public GgufWriter putInt32Array(String key, int[] values) {
        header(key, GgufType.ARRAY).u32(GgufType.INT32).u64(values.length);
        for (int v : values) kv.u32(v);
        return this;
    }

    public GgufWriter putFloat32Array(String key, float[] values) {
        header(key, GgufType.ARRAY).u32(GgufType.FLOAT32).u64(values.length);
        for (float v : values) kv.u32(Float.floatToRawIntBits(v));
        return this;
    }

    /**
     * Declares a tensor. {@code shape} is in ggml order: shape[0] (ne0) is the contiguous row
     * length, so a PyTorch [out, in] matrix is {@code {in, out}} here.
     */
    public GgufWriter addTensor(String name, TensorType type, long[] shape, RowSource rows) {
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME) throw new IllegalArgumentException("tensor name too long: " + name);
        if (shape.length < 1 || shape.length > 4) throw new IllegalArgumentException(name + ": 1..4 dimensions");
        for (long d : shape) if (d <= 0) throw new IllegalArgumentException(name + ": dimensions must be positive");
        if (shape[0] % type.blockSize != 0 || shape[0] > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + ": row length " + shape[0] + " does not fit " + type);
        }
        // gguf.cpp refuses files with duplicate tensor names, so fail here with a clearer message.
        if (tensors.putIfAbsent(name, new Tensor(name, type, shape.clone(), rows)) != null) {
            throw new IllegalArgumentException("duplicate tensor " + name);
        }
        return this;
    }

    public int alignment() { return alignment; }

    /** The tensors declared so far and their encodings, in file order. */
    public Map<String, TensorType> tensorTypes() {
        Map<String, TensorType> types = new LinkedHashMap<>();
        tensors.forEach((name, t) -> types.put(name, t.type));
        return Collections.unmodifiableMap(types);
    }

    /**
     * Writes the file through a temporary sibling and renames it into place, so a crash or a
     * concurrent reader never sees a half-written model.
     */
    public void write(Path out) throws IOException {
        Path dir = out.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + out.getFileName(), ".tmp");
        try {
            // createTempFile makes the file owner-only (0600); a model is not a secret, and a
            // server running as another user (a container, say) must be able to read it.
            if (tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                writeTo(ch);
                ch.force(false);
            }
            try {
                Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Streams the whole file to {@code out} (not closed); returns the number of bytes written. */
    public long writeTo(OutputStream out) throws IOException {
        return writeTo(Channels.newChannel(out));
    }

    /** Streams the whole file to {@code ch} (not closed); returns the number of bytes written. */
    public long writeTo(WritableByteChannel ch) throws IOException {
        LeBytes head = new LeBytes();
        head.u32(GgufType.MAGIC).u32(VERSION).u64(tensors.size()).u64(keys.size());
        head.raw(kv.toByteArray());
        // Offsets are relative to the data section and each tensor starts on an aligned
        // boundary; b4916's gguf.cpp recomputes them and rejects any other placement.
        long offset = 0;
        for (Tensor t : tensors.values()) {
            head.str(t.name).u32(t.shape.length);
            for (long d : t.shape) head.u64(d);
            head.u32(t.type.ggmlId).u64(offset);
            offset = pad(offset + t.type.bytes(t.elements()));
        }
        Sink out = new Sink(ch);
        out.bytes(head.toByteArray());
        out.padTo(alignment);
        for (Tensor t : tensors.values()) {
            int rowLen = (int) t.shape[0];
            int rowBytes = (int) t.type.bytes(rowLen);
            if (rowBytes > CHUNK) throw new IllegalArgumentException(t.name + ": row larger than the write buffer");
            float[] row = new float[rowLen];
            long rows = t.elements() / rowLen;
            for (long r = 0; r < rows; r++) {
                t.rows.fillRow(r, row);
                encode(t.type, row, out.room(rowBytes));
            }
            // Pad after every tensor, the last one included: gguf.cpp sizes the data section as
            // the sum of padded tensor sizes and reads that many bytes when it loads the data.
            out.padTo(alignment);
        }
        return out.finish();
    }

    // ---- encoding -------------------------------------------------------------------------

    /** Encodes one row into a little-endian buffer (block layouts in {@link GgmlQuants}). */
    static void encode(TensorType type, float[] x, ByteBuffer out) {
        GgmlQuants.quantizeRow(type, x, out);
    }

    // ---- plumbing -------------------------------------------------------------------------

    private LeBytes header(String key, int type) {
        // gguf.cpp reads the alignment with gguf_get_val_u32, which aborts the process (not just
        // the load) if the stored type differs; gguf.cpp also rejects duplicate keys.
        if (ALIGNMENT_KEY.equals(key) && type != GgufType.UINT32) throw new IllegalArgumentException(key + " must be a uint32");
        if (!keys.add(key)) throw new IllegalArgumentException("duplicate metadata key " + key);
        return kv.str(key).u32(type);
    }

    private long pad(long n) { return (n + alignment - 1) / alignment * alignment; }

    /** A fixed direct buffer in front of the channel that also counts the bytes written. */
    private static final class Sink {
        private final ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        private final WritableByteChannel ch;
        private long flushed;

        Sink(WritableByteChannel ch) { this.ch = ch; }

        /** Returns the buffer with at least {@code n} bytes free. */
        ByteBuffer room(int n) throws IOException {
            if (buf.remaining() < n) flush();
            return buf;
        }

        void bytes(byte[] b) throws IOException {
            for (int pos = 0; pos < b.length; ) {
                int n = Math.min(room(1).remaining(), b.length - pos);
                buf.put(b, pos, n);
                pos += n;
            }
        }

        void padTo(int alignment) throws IOException {
            long n = (alignment - (flushed + buf.position()) % alignment) % alignment;
            for (long i = 0; i < n; i++) room(1).put((byte) 0);
        }

        long finish() throws IOException { flush(); return flushed; }

        private void flush() throws IOException {
            buf.flip();
            flushed += buf.remaining();
            while (buf.hasRemaining()) ch.write(buf);
            buf.clear();
        }
    }

    /** Minimal little-endian builder for the (small) header and metadata section. */
    private static final class LeBytes extends ByteArrayOutputStream {
        LeBytes u8(int v) { write(v); return this; }
        LeBytes u32(int v) { for (int i = 0; i < 4; i++) write(v >>> (8 * i)); return this; }
        LeBytes u64(long v) { for (int i = 0; i < 8; i++) write((int) (v >>> (8 * i))); return this; }
        LeBytes raw(byte[] b) { write(b, 0, b.length); return this; }
        LeBytes str(String s) { byte[] b = s.getBytes(StandardCharsets.UTF_8); return u64(b.length).raw(b); }
    }
}
