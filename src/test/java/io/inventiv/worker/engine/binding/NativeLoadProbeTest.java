package io.inventiv.worker.engine.binding;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Which of llama.cpp's log lines reach the user when a load fails. */
class NativeLoadProbeTest {
    /** The end of llama.cpp's log for N_CTX=1000000 × 4 slots on a Qwen2.5-0.5B-shaped model. */
    private static final String KV_CACHE_TOO_LARGE = """
            llama_context: n_ctx         = 4000000
            llama_context: n_ctx_pre_seq (1000000) > n_ctx_train (32768) -- possible training context overflow
            init: kv_size = 4000000, offload = 1, type_k = 'f16', type_v = 'f16', n_layer = 24, can_shift = 1
            ggml_aligned_malloc: insufficient memory (attempted to allocate 46875.00 MB)
            ggml_backend_cpu_buffer_type_alloc_buffer: failed to allocate buffer of size 49152000000
            init: failed to allocate buffer for kv cache
            llama_init_from_model: failed to initialize the context: failed to initialize self-attention cache
            """;

    @Test
    void keepsTheLinesThatNameTheFailureAndItsSize() {
        assertEquals("""
                ggml_aligned_malloc: insufficient memory (attempted to allocate 46875.00 MB)
                  ggml_backend_cpu_buffer_type_alloc_buffer: failed to allocate buffer of size 49152000000
                  init: failed to allocate buffer for kv cache
                  llama_init_from_model: failed to initialize the context: failed to initialize self-attention cache""",
                NativeLoadProbe.errorLines(KV_CACHE_TOO_LARGE));
    }

    @Test
    void aKvCacheThatDoesNotFitGetsAHintNamingBothSettings() {
        ModelLoadOptions options = new ModelLoadOptions(java.nio.file.Path.of("m.gguf"), 4_000_000, 4, 2, 0, 5, false);
        assertEquals("the KV cache holds N_CTX × N_PARALLEL = 4000000 tokens, more than this machine can allocate; "
                + "lower N_CTX or N_PARALLEL", NativeLoadProbe.hint(NativeLoadProbe.errorLines(KV_CACHE_TOO_LARGE), options));
        org.junit.jupiter.api.Assertions.assertNull(
                NativeLoadProbe.hint("llama_model_load: error loading model: tensor data is not within the file bounds",
                        options));
    }

    @Test
    void saysSoWhenNoLineNamesAFailure() {
        assertEquals("(llama.cpp printed no error line)", NativeLoadProbe.errorLines("llama_context: n_ctx = 256\n"));
    }
}
