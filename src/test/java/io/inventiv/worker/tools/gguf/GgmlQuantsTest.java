package io.inventiv.worker.tools.gguf;

import io.inventiv.worker.tools.gguf.GgufWriter.TensorType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The quantized blocks decode, by llama.cpp's own rules ({@link GgmlDequant}), to values close
 * to the input, element by element: a misplaced scale, nibble or bit would show up as large
 * errors at the affected positions.
 */
class GgmlQuantsTest {

    private static byte[] encode(TensorType type, float[] x) {
        ByteBuffer out = ByteBuffer.allocate((int) type.bytes(x.length)).order(ByteOrder.LITTLE_ENDIAN);
        GgufWriter.encode(type, x, out);
        assertEquals(out.capacity(), out.position(), "the encoder fills exactly the block bytes");
        return out.array();
    }

    @Test
    void blockSizesAreGgmls() {
        assertEquals(22, TensorType.Q5_0.bytes(32));
        assertEquals(144, TensorType.Q4_K.bytes(256));
        assertEquals(210, TensorType.Q6_K.bytes(256));
        assertEquals(256, TensorType.Q4_K.blockSize);
        assertEquals(256, TensorType.Q6_K.blockSize);
    }

    /**
     * Gaussian rows whose scale changes from one 32-element stretch to the next (by up to 5x
     * within a super-block, so the 6-bit sub-block scales take many values, their top bits
     * included), with an all-positive and an all-negative stretch. The bound is the worst error
     * per element relative to the largest magnitude of its 32-element stretch: half a step for
     * Q8_0 and the K-quants (whose sub-block scales are rounded up, costing a little), and one
     * step for Q4_0 and Q5_0, whose asymmetric levels (-8..7, -16..15) clamp an element of
     * opposite sign to the largest, as in llama.cpp.
     */
    @ParameterizedTest
    @CsvSource({"Q4_0, 0.126", "Q5_0, 0.0626", "Q8_0, 0.0042", "Q4_K, 0.08", "Q6_K, 0.032"})
    void roundTripErrorIsWithinTheLevelSpacing(TensorType type, double maxRelativeError) {
        int n = 1024;
        float[] x = new float[n];
        SplittableRandom rng = new SplittableRandom(7);
        for (int i = 0; i < n; i++) {
            double stretchScale = Math.pow(5, ((i / 32) * 3 % 8) / 7.0); // 1 .. 5
            x[i] = (float) (rng.nextGaussian() * stretchScale);
        }
        for (int i = 64; i < 96; i++) x[i] = Math.abs(x[i]);
        for (int i = 96; i < 128; i++) x[i] = -Math.abs(x[i]) - 0.5f;
        float[] y = GgmlDequant.dequantize(type, encode(type, x), n);
        double worst = 0, sumSq = 0, errSq = 0;
        for (int s = 0; s < n; s += 32) {
            float amax = 0;
            for (int i = s; i < s + 32; i++) amax = Math.max(amax, Math.abs(x[i]));
            for (int i = s; i < s + 32; i++) {
                worst = Math.max(worst, Math.abs(x[i] - y[i]) / amax);
                sumSq += x[i] * x[i];
                errSq += (x[i] - y[i]) * (x[i] - y[i]);
            }
        }
        System.out.printf("%s: worst error %.4f of the local max, relative RMSE %.4f%n", type, worst, Math.sqrt(errSq / sumSq));
        assertTrue(worst < maxRelativeError, type + " worst relative error " + worst);
    }

    @ParameterizedTest
    @CsvSource({"Q4_K", "Q6_K", "Q5_0"})
    void zerosAndConstantsSurvive(TensorType type) {
        float[] x = new float[512];
        float[] zeros = GgmlDequant.dequantize(type, encode(type, x), x.length);
        for (float v : zeros) assertEquals(0f, v, 0f); // -0.0 counts: d = max / -16 is -0.0 for Q5_0
        Arrays.fill(x, 0, 256, 0.25f);
        Arrays.fill(x, 256, 512, -3f);
        float[] y = GgmlDequant.dequantize(type, encode(type, x), x.length);
        for (int i = 0; i < x.length; i++) assertEquals(x[i], y[i], Math.abs(x[i]) * 2e-3, "element " + i);
    }

    /**
     * A hand-worked Q4_K block: sub-block j holds the levels 0..15 (twice) times j+1, so its
     * scale is j+1, its min 0, and the super-block scale d = 8/63 (0.12695 as fp16). The 6-bit
     * scales are then (j+1)/d rounded up, 8, 16, 24, 32, 40, 48, 56, 63 (capped), packed as
     * ggml's get_scale_min_k4 unpacks them.
     */
    @Test
    void q4KPacksScalesAndNibblesAsGgml() {
        float[] x = new float[256];
        for (int i = 0; i < 256; i++) x[i] = (i % 16) * (i / 32 + 1);
        byte[] b = encode(TensorType.Q4_K, x);
        ByteBuffer in = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(8f / 63f, Float.float16ToFloat(in.getShort(0)), 1e-4, "d");
        assertEquals(0f, Float.float16ToFloat(in.getShort(2)), "dmin: nothing is negative");
        // Bytes 0-3: scales 0-3 plus the top two bits of scales 4-7 (40 >> 4 = 2; 48, 56, 63 >> 4 = 3).
        // Bytes 4-7: mins 0-3 (0) plus the top bits of mins 4-7 (0). Bytes 8-11: low nibbles of scales 4-7.
        int[] scales = {8 | 2 << 6, 16 | 3 << 6, 24 | 3 << 6, 32 | 3 << 6, 0, 0, 0, 0, 40 & 15, 48 & 15, 56 & 15, 63 & 15};
        for (int k = 0; k < 12; k++) assertEquals(scales[k], b[4 + k] & 0xFF, "scales byte " + k);
        // Quant byte l of the first 32 holds element l (sub-block 0) low and element l+32 (sub-block 1) high.
        for (int l = 0; l < 32; l++) assertEquals((l % 16) * 0x11, b[16 + l] & 0xFF, "qs byte " + l);
    }

    /**
     * A hand-worked Q6_K block: every 16-element sub-block holds -32 (its largest magnitude) and
     * other whole numbers in -32..31, so every sub-block scale is 1, stored as int8 -128 against
     * d = -1/128, and each level is exactly x + 32.
     */
    @Test
    void q6KPacksLowAndHighBitsAsGgml() {
        int[] level = new int[256];
        float[] x = new float[256];
        for (int i = 0; i < 256; i++) {
            level[i] = i % 16 == 0 ? 0 : (i * 37 + 11) % 64;
            x[i] = level[i] - 32;
        }
        byte[] b = encode(TensorType.Q6_K, x);
        ByteBuffer in = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(-1f / 128f, Float.float16ToFloat(in.getShort(208)), "d, the last two bytes");
        for (int j = 0; j < 16; j++) assertEquals(-128, b[192 + j], "scale " + j);
        // Element 200 is in the second half (128..255), run 3 of 4 (elements 192..223), position 8:
        // low nibble in the high half of ql[64 + 8], top two bits in bits 4-5 of qh[32 + 8].
        assertEquals(level[200] & 15, (b[64 + 8] & 0xFF) >> 4);
        assertEquals(level[200] >> 4, ((b[128 + 32 + 8] & 0xFF) >> 4) & 3);
        assertArrayEquals(x, GgmlDequant.dequantize(TensorType.Q6_K, b, 256));
    }
}
