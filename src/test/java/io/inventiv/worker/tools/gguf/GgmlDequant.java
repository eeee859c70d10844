package io.inventiv.worker.tools.gguf;

import io.inventiv.worker.tools.gguf.GgufWriter.TensorType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Decodes ggml blocks the way llama.cpp does (ggml-quants.c, {@code dequantize_row_*}),
 * written from those functions and the {@code block_*} structs, independently of
 * {@link GgmlQuants}: if a round trip through both is close, the writer's layout is llama.cpp's.
 */
final class GgmlDequant {
    private GgmlDequant() {
    }

    static float[] dequantize(TensorType type, byte[] bytes, int n) {
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        float[] y = new float[n];
        for (int b = 0; b < n; b += type.blockSize) {
            int at = (int) type.bytes(b);
            switch (type) {
                case Q4_0 -> q4_0(in, at, y, b);
                case Q5_0 -> q5_0(in, at, y, b);
                case Q8_0 -> q8_0(in, at, y, b);
                case Q4_K -> q4_K(in, at, y, b);
                case Q6_K -> q6_K(in, at, y, b);
                default -> throw new IllegalArgumentException(type.name());
            }
        }
        return y;
    }

    private static float half(ByteBuffer in, int at) { return Float.float16ToFloat(in.getShort(at)); }

    private static int u8(ByteBuffer in, int at) { return in.get(at) & 0xFF; }

    // struct { ggml_half d; uint8_t qs[16]; }
    private static void q4_0(ByteBuffer in, int at, float[] y, int out) {
        float d = half(in, at);
        for (int j = 0; j < 16; j++) {
            int q = u8(in, at + 2 + j);
            y[out + j] = ((q & 0xF) - 8) * d;
            y[out + j + 16] = ((q >> 4) - 8) * d;
        }
    }

    // struct { ggml_half d; uint8_t qh[4]; uint8_t qs[16]; }
    private static void q5_0(ByteBuffer in, int at, float[] y, int out) {
        float d = half(in, at);
        int qh = in.getInt(at + 2);
        for (int j = 0; j < 16; j++) {
            int q = u8(in, at + 6 + j);
            int h0 = ((qh >>> j) << 4) & 0x10;
            int h1 = (qh >>> (j + 12)) & 0x10;
            y[out + j] = (((q & 0xF) | h0) - 16) * d;
            y[out + j + 16] = (((q >> 4) | h1) - 16) * d;
        }
    }

    // struct { ggml_half d; int8_t qs[32]; }
    private static void q8_0(ByteBuffer in, int at, float[] y, int out) {
        float d = half(in, at);
        for (int j = 0; j < 32; j++) y[out + j] = in.get(at + 2 + j) * d;
    }

    // struct { ggml_half d; ggml_half dmin; uint8_t scales[12]; uint8_t qs[128]; }
    private static void q4_K(ByteBuffer in, int at, float[] y, int out) {
        float d = half(in, at), min = half(in, at + 2);
        int scales = at + 4, q = at + 16;
        for (int j = 0, is = 0; j < 256; j += 64, is += 2, q += 32) {
            float d1 = d * scale(in, scales, is), m1 = min * mins(in, scales, is);
            float d2 = d * scale(in, scales, is + 1), m2 = min * mins(in, scales, is + 1);
            for (int l = 0; l < 32; l++) y[out + j + l] = d1 * (u8(in, q + l) & 0xF) - m1;
            for (int l = 0; l < 32; l++) y[out + j + 32 + l] = d2 * (u8(in, q + l) >> 4) - m2;
        }
    }

    // get_scale_min_k4
    private static int scale(ByteBuffer in, int s, int j) {
        return j < 4 ? u8(in, s + j) & 63 : (u8(in, s + j + 4) & 0xF) | ((u8(in, s + j - 4) >> 6) << 4);
    }

    private static int mins(ByteBuffer in, int s, int j) {
        return j < 4 ? u8(in, s + j + 4) & 63 : (u8(in, s + j + 4) >> 4) | ((u8(in, s + j) >> 6) << 4);
    }

    // struct { uint8_t ql[128]; uint8_t qh[64]; int8_t scales[16]; ggml_half d; }
    private static void q6_K(ByteBuffer in, int at, float[] y, int out) {
        float d = half(in, at + 208);
        int ql = at, qh = at + 128, sc = at + 192;
        for (int n = 0; n < 256; n += 128, ql += 64, qh += 32, sc += 8) {
            for (int l = 0; l < 32; l++) {
                int is = l / 16, h = u8(in, qh + l);
                int q1 = ((u8(in, ql + l) & 0xF) | ((h & 3) << 4)) - 32;
                int q2 = ((u8(in, ql + l + 32) & 0xF) | (((h >> 2) & 3) << 4)) - 32;
                int q3 = ((u8(in, ql + l) >> 4) | (((h >> 4) & 3) << 4)) - 32;
                int q4 = ((u8(in, ql + l + 32) >> 4) | (((h >> 6) & 3) << 4)) - 32;
                y[out + n + l] = d * in.get(sc + is) * q1;
                y[out + n + l + 32] = d * in.get(sc + is + 2) * q2;
                y[out + n + l + 64] = d * in.get(sc + is + 4) * q3;
                y[out + n + l + 96] = d * in.get(sc + is + 6) * q4;
            }
        }
    }
}
