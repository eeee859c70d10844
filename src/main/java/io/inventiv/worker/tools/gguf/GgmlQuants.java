package io.inventiv.worker.tools.gguf;

import io.inventiv.worker.tools.gguf.GgufWriter.TensorType;
import java.nio.ByteBuffer;

/**
 * Quantizes rows of floats into ggml's block formats, byte for byte as llama.cpp lays them out
 * (ggml-common.h's {@code block_*} structs; values are decoded as in ggml-quants.c's
 * {@code dequantize_row_*}).
 *
 * <p>The layout is exact; the choice of scales is simpler than ggml's. For Q4_K and Q6_K,
 * ggml searches for the scale and offset that minimise a weighted error
 * ({@code make_qkx2_quants}, {@code make_qx_quants}); here each sub-block just spans its range
 * (min/max, or the largest magnitude), with the 6- or 8-bit sub-block scales rounded up so the
 * range still fits. That costs a little accuracy, which random benchmark weights do not need,
 * and keeps a 0.5B model's write time dominated by drawing the weights.
 *
 * <p>All writers put little-endian bytes at the buffer's position and advance it, so the buffer
 * must be {@link java.nio.ByteOrder#LITTLE_ENDIAN}.
 */
final class GgmlQuants {
    /** Elements in a K-quant super-block (ggml's QK_K). */
    static final int QK_K = 256;

    private GgmlQuants() {
    }

    /** Writes {@code x} (one row; its length a multiple of the type's block size) as {@code type}. */
    static void quantizeRow(TensorType type, float[] x, ByteBuffer out) {
        switch (type) {
            case F32 -> { for (float v : x) out.putFloat(v); }
            case F16 -> { for (float v : x) out.putShort(Float.floatToFloat16(v)); }
            case Q8_0 -> { for (int b = 0; b < x.length; b += 32) q8_0(x, b, out); }
            case Q4_0 -> { for (int b = 0; b < x.length; b += 32) q4_0(x, b, out); }
            case Q5_0 -> { for (int b = 0; b < x.length; b += 32) q5_0(x, b, out); }
            case Q4_K -> {
                int[] levels = new int[QK_K];
                for (int b = 0; b < x.length; b += QK_K) q4_K(x, b, levels, out);
            }
            case Q6_K -> {
                int[] levels = new int[QK_K];
                for (int b = 0; b < x.length; b += QK_K) q6_K(x, b, levels, out);
            }
        }
    }

    /** block_q8_0 (34 bytes): fp16 d = max|x|/127, then 32 int8 q with x ~ q*d. */
    private static void q8_0(float[] x, int from, ByteBuffer out) {
        float amax = 0;
        for (int i = 0; i < 32; i++) amax = Math.max(amax, Math.abs(x[from + i]));
        float d = amax / 127f;
        float id = d != 0 ? 1f / d : 0f;
        out.putShort(Float.floatToFloat16(d));
        for (int i = 0; i < 32; i++) out.put((byte) roundHalfAway(x[from + i] * id));
    }

    /**
     * block_q4_0 (18 bytes): fp16 d then 16 bytes; byte j holds element j in its low nibble and
     * element j+16 in its high one, and a value is (q - 8) * d. As in llama.cpp, d is chosen from
     * the element of largest magnitude (keeping its sign) so that element lands exactly on q = 0.
     */
    private static void q4_0(float[] x, int from, ByteBuffer out) {
        float d = signedAbsMax(x, from, 32) / -8f;
        float id = d != 0 ? 1f / d : 0f;
        out.putShort(Float.floatToFloat16(d));
        for (int j = 0; j < 16; j++) {
            int lo = Math.min(15, (int) (x[from + j] * id + 8.5f));
            int hi = Math.min(15, (int) (x[from + j + 16] * id + 8.5f));
            out.put((byte) (lo | (hi << 4)));
        }
    }

    /**
     * block_q5_0 (22 bytes): fp16 d, a uint32 of fifth bits (bit j for element j, bit j+16 for
     * element j+16), then the low nibbles packed as in Q4_0; a value is (q - 16) * d. llama.cpp
     * falls back to it for Q4_K tensors whose rows are not whole super-blocks.
     */
    private static void q5_0(float[] x, int from, ByteBuffer out) {
        float d = signedAbsMax(x, from, 32) / -16f;
        float id = d != 0 ? 1f / d : 0f;
        int highBits = 0;
        int at = out.position() + 2 + 4;
        for (int j = 0; j < 16; j++) {
            int lo = Math.min(31, (int) (x[from + j] * id + 16.5f));
            int hi = Math.min(31, (int) (x[from + j + 16] * id + 16.5f));
            out.put(at + j, (byte) ((lo & 0xF) | ((hi & 0xF) << 4)));
            highBits |= ((lo >> 4) & 1) << j;
            highBits |= ((hi >> 4) & 1) << (j + 16);
        }
        out.putShort(Float.floatToFloat16(d)).putInt(highBits);
        out.position(at + 16);
    }

    /**
     * block_q4_K (144 bytes): fp16 d, fp16 dmin, 12 bytes holding eight 6-bit scales and eight
     * 6-bit mins, then 128 bytes of 4-bit levels. Sub-block j (32 elements) decodes as
     * {@code d*scale[j]*q - dmin*min[j]}.
     */
    private static void q4_K(float[] x, int from, int[] levels, ByteBuffer out) {
        // Each sub-block spans [lo, hi] with 16 levels. The offset is subtracted, so it can only
        // move values down: a sub-block of positives starts at 0, as in ggml.
        float[] lo = new float[8], hi = new float[8];
        float maxMin = 0;
        for (int j = 0; j < 8; j++) {
            lo[j] = 0;
            hi[j] = -Float.MAX_VALUE;
            for (int i = 0; i < 32; i++) {
                float v = x[from + 32 * j + i];
                lo[j] = Math.min(lo[j], v);
                hi[j] = Math.max(hi[j], v);
            }
            maxMin = Math.max(maxMin, -lo[j]);
        }
        // Offsets and scales are stored as 6-bit multiples of fp16 super-block values. Rounding
        // them up (offset first, then the scale that covers the top of the range from there)
        // keeps every value inside the levels, so no value is clamped by more than half a step.
        short dminHalf = Float.floatToFloat16(maxMin / 63f);
        float dmin = Float.float16ToFloat(dminHalf);
        int[] mn = new int[8];
        float[] needed = new float[8];
        float maxNeeded = 0;
        for (int j = 0; j < 8; j++) {
            mn[j] = dmin > 0 ? ceil6(-lo[j] / dmin) : 0;
            needed[j] = Math.max(0f, (hi[j] + dmin * mn[j]) / 15f);
            maxNeeded = Math.max(maxNeeded, needed[j]);
        }
        short dHalf = Float.floatToFloat16(maxNeeded / 63f);
        float d = Float.float16ToFloat(dHalf);
        int[] sc = new int[8];
        for (int j = 0; j < 8; j++) {
            sc[j] = d > 0 ? ceil6(needed[j] / d) : 0;
            float step = d * sc[j];
            float offset = dmin * mn[j];
            for (int i = 0; i < 32; i++) {
                levels[32 * j + i] = step == 0 ? 0 : clamp(nearestInt((x[from + 32 * j + i] + offset) / step), 0, 15);
            }
        }
        out.putShort(dHalf).putShort(dminHalf);
        // Scales and mins: entries 0-3 keep their six bits in bytes 0-3 (scales) and 4-7 (mins);
        // entries 4-7 put their low nibbles in bytes 8-11 (scale low, min high) and their top two
        // bits in the spare top bits of bytes 0-3 (scales) and 4-7 (mins).
        byte[] packed = new byte[12];
        for (int j = 0; j < 8; j++) {
            if (j < 4) {
                packed[j] |= (byte) sc[j];
                packed[j + 4] |= (byte) mn[j];
            } else {
                packed[j + 4] = (byte) ((sc[j] & 0xF) | ((mn[j] & 0xF) << 4));
                packed[j - 4] |= (byte) ((sc[j] >> 4) << 6);
                packed[j] |= (byte) ((mn[j] >> 4) << 6);
            }
        }
        out.put(packed);
        // Each group of 64 elements fills 32 bytes: sub-block 2g in the low nibbles, 2g+1 in the high.
        for (int g = 0; g < QK_K; g += 64) {
            for (int l = 0; l < 32; l++) out.put((byte) (levels[g + l] | (levels[g + l + 32] << 4)));
        }
    }

    /**
     * block_q6_K (210 bytes): 128 bytes of low nibbles, 64 bytes of high 2-bit pairs, sixteen
     * int8 scales (one per 16 elements), then fp16 d. A value is {@code d*scale[j]*(q - 32)}.
     */
    private static void q6_K(float[] x, int from, int[] levels, ByteBuffer out) {
        float[] scales = new float[16];
        float maxScale = 0, maxAbsScale = 0;
        for (int j = 0; j < 16; j++) {
            // As in Q4_0: the largest magnitude lands exactly on the extreme level -32.
            scales[j] = signedAbsMax(x, from + 16 * j, 16) / -32f;
            if (Math.abs(scales[j]) > maxAbsScale) {
                maxAbsScale = Math.abs(scales[j]);
                maxScale = scales[j];
            }
        }
        int base = out.position();
        if (maxAbsScale < 1e-15f) { // ggml's GROUP_MAX_EPS: an all-zero block is all zero bytes
            for (int i = 0; i < 210; i++) out.put((byte) 0);
            return;
        }
        float iscale = -128f / maxScale;
        short dHalf = Float.floatToFloat16(1f / iscale);
        float d = Float.float16ToFloat(dHalf);
        byte[] sc = new byte[16];
        for (int j = 0; j < 16; j++) {
            // Magnitude rounded up, so the sub-block's largest value still fits in the levels.
            float r = iscale * scales[j];
            int rounded = (int) Math.ceil(Math.abs(r) - 1e-3f);
            sc[j] = (byte) clamp(r < 0 ? -rounded : rounded, -128, 127);
            float step = d * sc[j];
            for (int i = 0; i < 16; i++) {
                int q = step == 0 ? 0 : clamp(nearestInt(x[from + 16 * j + i] / step), -32, 31);
                levels[16 * j + i] = q + 32;
            }
        }
        // Each half (128 elements) is four runs of 32: runs 0 and 2 share ql bytes 0-31 (low and
        // high nibble), runs 1 and 3 share ql bytes 32-63, and the four top-bit pairs of element
        // l of each run share qh byte l.
        for (int h = 0; h < 2; h++) {
            int ql = base + 64 * h, qh = base + 128 + 32 * h, e = 128 * h;
            for (int l = 0; l < 32; l++) {
                int q1 = levels[e + l], q2 = levels[e + l + 32], q3 = levels[e + l + 64], q4 = levels[e + l + 96];
                out.put(ql + l, (byte) ((q1 & 0xF) | ((q3 & 0xF) << 4)));
                out.put(ql + l + 32, (byte) ((q2 & 0xF) | ((q4 & 0xF) << 4)));
                out.put(qh + l, (byte) ((q1 >> 4) | ((q2 >> 4) << 2) | ((q3 >> 4) << 4) | ((q4 >> 4) << 6)));
            }
        }
        out.position(base + 192);
        out.put(sc).putShort(dHalf);
    }

    /** The element of largest magnitude, with its sign (0 for an all-zero run). */
    private static float signedAbsMax(float[] x, int from, int n) {
        float amax = 0, max = 0;
        for (int i = 0; i < n; i++) {
            float v = x[from + i];
            if (Math.abs(v) > amax) {
                amax = Math.abs(v);
                max = v;
            }
        }
        return max;
    }

    /** Rounds a 6-bit multiplier up (tolerating float noise just above an integer), capped at 63. */
    private static int ceil6(float v) { return Math.min(63, (int) Math.ceil(v - 1e-3f)); }

    /** ggml's nearest_int: round half to even. */
    private static int nearestInt(float v) { return (int) Math.rint(v); }

    private static int roundHalfAway(float v) { return (int) (v < 0 ? v - 0.5f : v + 0.5f); } // C's roundf

    private static int clamp(int v, int lo, int hi) { return Math.max(lo, Math.min(hi, v)); }
}
