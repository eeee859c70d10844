package io.inventiv.worker.tools.gguf;

import io.inventiv.worker.gguf.GgufType;
import io.inventiv.worker.tools.gguf.GgufWriter.TensorType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a (small) GGUF file and writes a copy whose tensors are all F32, holding what
 * {@link GgmlDequant} decodes from the original's blocks; the metadata is copied byte for byte.
 * If llama.cpp computes the same thing from both files, it decodes the blocks as we do.
 */
final class GgufDequantizedCopy {
    private static final int ALIGNMENT = 32; // the fixture's general.alignment

    private record Info(String name, long[] shape, TensorType type, long offset) {
        int elements() { return (int) Arrays.stream(shape).reduce(1, Math::multiplyExact); }
    }

    private GgufDequantizedCopy() {
    }

    /** The type of every tensor, as the file's tensor infos declare it. */
    static Map<String, TensorType> tensorTypes(Path file) throws IOException {
        Map<String, TensorType> types = new LinkedHashMap<>();
        for (Info info : read(ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN))) {
            types.put(info.name, info.type);
        }
        return types;
    }

    static void write(Path in, Path out) throws IOException {
        ByteBuffer src = ByteBuffer.wrap(Files.readAllBytes(in)).order(ByteOrder.LITTLE_ENDIAN);
        List<Info> infos = read(src);
        int dataStart = align(src.position());
        int kvEnd = kvEnd(src);
        ByteBuffer head = ByteBuffer.allocate(dataStart + 64 * infos.size()).order(ByteOrder.LITTLE_ENDIAN);
        head.put(src.array(), 0, kvEnd);
        long offset = 0;
        for (Info info : infos) {
            byte[] name = info.name.getBytes(StandardCharsets.UTF_8);
            head.putLong(name.length).put(name).putInt(info.shape.length);
            for (long d : info.shape) head.putLong(d);
            head.putInt(0).putLong(offset); // ggml type 0 = F32
            offset = align(offset + 4L * info.elements());
        }
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.write(head.array(), 0, head.position());
        pad(file);
        for (Info info : infos) {
            int n = info.elements();
            byte[] raw = Arrays.copyOfRange(src.array(), dataStart + (int) info.offset, dataStart + (int) info.offset + (int) info.type.bytes(n));
            float[] values = info.type == TensorType.F32 ? f32(raw) : GgmlDequant.dequantize(info.type, raw, n);
            ByteBuffer data = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : values) data.putFloat(v);
            file.write(data.array());
            pad(file);
        }
        Files.write(out, file.toByteArray());
    }

    private static List<Info> read(ByteBuffer in) {
        in.position(8);
        long tensors = in.getLong();
        in.position(kvEnd(in));
        List<Info> infos = new ArrayList<>();
        for (long t = 0; t < tensors; t++) {
            String name = string(in);
            long[] shape = new long[in.getInt()];
            for (int d = 0; d < shape.length; d++) shape[d] = in.getLong();
            int ggmlType = in.getInt();
            TensorType type = Arrays.stream(TensorType.values()).filter(x -> x.ggmlId == ggmlType).findFirst().orElseThrow();
            infos.add(new Info(name, shape, type, in.getLong()));
        }
        return infos;
    }

    /** Position just after the key/value section (leaves {@code in} there). */
    private static int kvEnd(ByteBuffer in) {
        in.position(16);
        long kvs = in.getLong();
        for (long i = 0; i < kvs; i++) {
            string(in);
            skipValue(in, in.getInt());
        }
        return in.position();
    }

    private static void skipValue(ByteBuffer in, int type) {
        switch (type) {
            case GgufType.UINT8, GgufType.INT8, GgufType.BOOL -> in.get();
            case GgufType.UINT16, GgufType.INT16 -> in.getShort();
            case GgufType.UINT32, GgufType.INT32, GgufType.FLOAT32 -> in.getInt();
            case GgufType.UINT64, GgufType.INT64, GgufType.FLOAT64 -> in.getLong();
            case GgufType.STRING -> string(in);
            case GgufType.ARRAY -> {
                int elementType = in.getInt();
                long count = in.getLong();
                for (long i = 0; i < count; i++) skipValue(in, elementType);
            }
            default -> throw new IllegalStateException("unknown GGUF value type " + type);
        }
    }

    private static String string(ByteBuffer in) {
        byte[] b = new byte[(int) in.getLong()];
        in.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static float[] f32(byte[] raw) {
        float[] v = new float[raw.length / 4];
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        return v;
    }

    private static int align(int n) { return (n + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT; }

    private static long align(long n) { return (n + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT; }

    private static void pad(ByteArrayOutputStream out) {
        while (out.size() % ALIGNMENT != 0) out.write(0);
    }
}
