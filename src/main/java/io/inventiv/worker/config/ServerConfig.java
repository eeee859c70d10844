package io.inventiv.worker.config;

import java.nio.file.Path;
import java.util.List;

/**
 * Everything the server is told at start-up, validated once at the edge ({@code ServeCommand}).
 * Nothing further in reads environment variables.
 *
 * @param modelPath         the GGUF file
 * @param servedModelNames  aliases listed by /v1/models; the first one labels metrics
 * @param maxModelLen       context per request (vLLM's max_model_len); llama.cpp gets
 *                          {@code maxModelLen * parallel} so that every slot holds a full context
 * @param threads           inference threads
 * @param parallel          requests generating at once (one llama.cpp slot each)
 * @param gpuLayers         layers offloaded to a GPU, or -1 for auto: all when the library has a GPU
 *                          backend, none otherwise
 * @param llamaNice         nice value of llama.cpp's threads (0 to 19; ours stay at 0), so that
 *                          our few threads run as soon as they wake
 * @param host              listen address
 * @param port              listen port
 * @param defaultMaxTokens  cap when a request sets no limit
 * @param maxQueue          requests allowed to wait for a slot; beyond that 503
 * @param streamUsage       whether streams always end with a usage chunk
 * @param strictModelName   refuse unknown model names with 404
 * @param faultTokenDelayMillis fault injection: extra delay per generated token (0 = off)
 * @param apiKey            bearer key required on the model routes, or null for none
 * @param drainTimeoutSeconds how long SIGTERM waits for accepted requests before exiting
 * @param sendTimeoutSeconds how long a response waits for a client that accepts nothing (its
 *                          socket buffers full) before the connection is closed
 * @param logLevel          error, warn, info or debug; debug also shows llama.cpp's own log
 * @param engine            auto, native or binding: our native library over a current llama.cpp, or
 *                          the de.kherud:llama binding; auto takes native when its library is there
 * @param nativeLibraryDir  the native library's folder, or null for {@code native/} beside the jar
 * @param embeddings        whether /v1/embeddings serves (it needs the native engine)
 * @param deterministic     byte-identical output for the same request, alone or under load (native engine)
 * @param adminApiKey       the key that unlocks test controls (the X-Fault header), or null for none
 * @param faults            faults injected at random, every Nth request or by model alias
 * @param startupDelaySeconds how long the server waits before it loads the model (readiness stays 503)
 * @param latency           latency shaping of the pieces of content (targets for TTFT and inter-token latency)
 * @param devMode           vLLM's dev-mode endpoints: /sleep, /wake_up and /is_sleeping
 */
public record ServerConfig(
        Path modelPath,
        List<String> servedModelNames,
        int maxModelLen,
        int threads,
        int parallel,
        int gpuLayers,
        int llamaNice,
        String host,
        int port,
        int defaultMaxTokens,
        int maxQueue,
        StreamUsage streamUsage,
        boolean strictModelName,
        long faultTokenDelayMillis,
        String apiKey,
        int drainTimeoutSeconds,
        int sendTimeoutSeconds,
        String logLevel,
        String engine,
        Path nativeLibraryDir,
        boolean embeddings,
        boolean deterministic,
        String adminApiKey,
        FaultSettings faults,
        int startupDelaySeconds,
        LatencySettings latency,
        boolean devMode) {

    /** N_GPU_LAYERS=auto. */
    public static final int GPU_LAYERS_AUTO = -1;

    public ServerConfig {
        servedModelNames = List.copyOf(servedModelNames);
        if (servedModelNames.isEmpty()) {
            throw new IllegalArgumentException("at least one served model name is required");
        }
        requireAtLeast("N_CTX", maxModelLen, 16);
        requireAtLeast("N_THREADS", threads, 1);
        requireAtLeast("N_PARALLEL", parallel, 1);
        requireAtLeast("N_GPU_LAYERS", gpuLayers, GPU_LAYERS_AUTO);
        if (llamaNice < 0 || llamaNice > 19) {
            throw new IllegalArgumentException("LLAMA_NICE must be between 0 and 19, got " + llamaNice);
        }
        requireAtLeast("DEFAULT_MAX_TOKENS", defaultMaxTokens, 1);
        requireAtLeast("MAX_QUEUE", maxQueue, 0);
        requireAtLeast("DRAIN_TIMEOUT_S", drainTimeoutSeconds, 0);
        requireAtLeast("SEND_TIMEOUT_S", sendTimeoutSeconds, 1);
        requireAtLeast("STARTUP_DELAY_S", startupDelaySeconds, 0);
        if (!java.util.Set.of("error", "warn", "info", "debug").contains(logLevel)) {
            throw new IllegalArgumentException("LOG_LEVEL must be error, warn, info or debug, got '" + logLevel + "'");
        }
        if (!java.util.Set.of("auto", "native", "binding").contains(engine)) {
            throw new IllegalArgumentException("ENGINE must be auto, native or binding, got '" + engine + "'");
        }
        if (faultTokenDelayMillis < 0) {
            throw new IllegalArgumentException("FAULT_TOKEN_DELAY_MS must be at least 0, got " + faultTokenDelayMillis);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("PORT must be between 0 and 65535, got " + port);
        }
    }

    private static void requireAtLeast(String name, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be at least " + min + ", got " + value);
        }
    }

    /** Whether llama.cpp's own (verbose) log should reach the console. */
    public boolean nativeDebugLog() {
        return logLevel.equals("debug");
    }

    /** The name that labels metrics and answers when a request names no model. */
    public String primaryModelName() {
        return servedModelNames.getFirst();
    }

    /** When to append the final usage chunk to a stream. */
    public enum StreamUsage {
        /** Always: the control plane's proxy reads usage from streams but never asks for it. */
        ALWAYS,
        /** Only when the request sets {@code stream_options.include_usage}, as OpenAI does. */
        REQUESTED
    }
}
