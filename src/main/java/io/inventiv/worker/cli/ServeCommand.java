package io.inventiv.worker.cli;

import io.inventiv.worker.Server;
import io.inventiv.worker.config.FaultSettings;
import io.inventiv.worker.config.LatencySettings;
import io.inventiv.worker.config.ServerConfig;
import io.inventiv.worker.config.ServerConfig.StreamUsage;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code serve}: load the model and answer the OpenAI/vLLM API. Every option has an env var. */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Serve a GGUF model over an OpenAI- and vLLM-compatible HTTP API.")
public final class ServeCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--model", paramLabel = "PATH", defaultValue = "${env:MODEL_PATH}",
            description = "GGUF model file (env MODEL_PATH).")
    private Path modelPath;

    @Option(names = "--served-model-name", paramLabel = "NAMES",
            defaultValue = "${env:SERVED_MODEL_NAME:-${env:MODEL_ID:-}}",
            description = "Comma-separated aliases listed by /v1/models (env SERVED_MODEL_NAME, or MODEL_ID). "
                    + "Default: the file name without .gguf.")
    private String servedModelNames;

    @Option(names = "--n-ctx", defaultValue = "${env:N_CTX:-2048}",
            description = "Context per request, like vLLM's max_model_len (env N_CTX, default ${DEFAULT-VALUE}). "
                    + "llama.cpp allocates N_CTX x N_PARALLEL. At most the model's training context.")
    private int maxModelLen;

    @Option(names = "--n-threads", defaultValue = "${env:N_THREADS:-0}",
            description = "Inference threads (env N_THREADS); 0 = available cores (default).")
    private int threads;

    @Option(names = "--n-parallel", defaultValue = "${env:N_PARALLEL:-4}",
            description = "Requests generating at once, one slot each (env N_PARALLEL, default ${DEFAULT-VALUE}).")
    private int parallel;

    @Option(names = "--n-gpu-layers", paramLabel = "auto|N", defaultValue = "${env:N_GPU_LAYERS:-auto}",
            description = "Layers offloaded to the GPU; auto: all when the llama.cpp library has a GPU backend "
                    + "(Metal on Apple Silicon, CUDA when built with it), none otherwise "
                    + "(env N_GPU_LAYERS, default ${DEFAULT-VALUE}).")
    private String gpuLayers;

    @Option(names = "--llama-nice", defaultValue = "${env:LLAMA_NICE:-5}",
            description = "Nice value of llama.cpp's threads, 0-19, so that the server's own threads run at once "
                    + "(env LLAMA_NICE, default ${DEFAULT-VALUE}; 0 = unchanged).")
    private int llamaNice;

    @Option(names = "--host", defaultValue = "${env:HOST:-0.0.0.0}",
            description = "Listen address (env HOST, default ${DEFAULT-VALUE}).")
    private String host;

    @Option(names = "--port", defaultValue = "${env:PORT:-8000}",
            description = "Listen port (env PORT, default ${DEFAULT-VALUE}).")
    private int port;

    @Option(names = "--default-max-tokens", defaultValue = "${env:DEFAULT_MAX_TOKENS:-512}",
            description = "Completion cap when a request sets none (env DEFAULT_MAX_TOKENS, default ${DEFAULT-VALUE}).")
    private int defaultMaxTokens;

    @Option(names = "--max-queue", defaultValue = "${env:MAX_QUEUE:-64}",
            description = "Requests that may wait for a slot; beyond that 503 (env MAX_QUEUE, default ${DEFAULT-VALUE}).")
    private int maxQueue;

    @Option(names = "--stream-usage", defaultValue = "${env:STREAM_USAGE:-always}",
            description = "always | requested: when streams end with a usage chunk (env STREAM_USAGE, default ${DEFAULT-VALUE}).")
    private String streamUsage;

    @Option(names = "--strict-model-name", defaultValue = "${env:STRICT_MODEL_NAME:-false}", arity = "0..1",
            description = "Refuse unknown model names with 404 (env STRICT_MODEL_NAME, default ${DEFAULT-VALUE}).")
    private boolean strictModelName;

    @Option(names = "--fault-token-delay-ms", defaultValue = "${env:FAULT_TOKEN_DELAY_MS:-0}",
            description = "Fault injection: extra delay per generated token, imitating slow hardware "
                    + "(env FAULT_TOKEN_DELAY_MS, default ${DEFAULT-VALUE}).")
    private long faultTokenDelayMillis;

    @Option(names = "--api-key", defaultValue = "${env:API_KEY:-${env:VLLM_API_KEY:-}}",
            description = "Bearer key required on /v1/*, /tokenize and /detokenize (env API_KEY or VLLM_API_KEY; "
                    + "default none).")
    private String apiKey;

    @Option(names = "--drain-timeout-s", defaultValue = "${env:DRAIN_TIMEOUT_S:-30}",
            description = "On SIGTERM, how long running requests may finish (env DRAIN_TIMEOUT_S, default ${DEFAULT-VALUE}).")
    private int drainTimeoutSeconds;

    @Option(names = "--send-timeout-s", defaultValue = "${env:SEND_TIMEOUT_S:-30}",
            description = "Close a connection whose client accepts nothing of its response for this long "
                    + "(env SEND_TIMEOUT_S, default ${DEFAULT-VALUE}).")
    private int sendTimeoutSeconds;

    @Option(names = "--log-level", defaultValue = "${env:LOG_LEVEL:-info}",
            description = "error | warn | info | debug; debug adds llama.cpp's own log (env LOG_LEVEL, default ${DEFAULT-VALUE}).")
    private String logLevel;

    @Option(names = "--engine", paramLabel = "auto|native|binding", defaultValue = "${env:ENGINE:-auto}",
            description = "native: our JNI library over a current llama.cpp (`make native`); binding: the prebuilt "
                    + "de.kherud:llama; auto: native when its library is present (env ENGINE, default ${DEFAULT-VALUE}).")
    private String engine;

    @Option(names = "--native-lib-dir", paramLabel = "DIR", defaultValue = "${env:NATIVE_LIB_DIR:-}",
            description = "Folder of the native engine's libraries (env NATIVE_LIB_DIR; default: native/ beside the jar, "
                    + "which `make native` fills).")
    private String nativeLibDir;

    @Option(names = "--embeddings", paramLabel = "true|false", defaultValue = "${env:EMBEDDINGS:-true}",
            arity = "1", description = "Serve /v1/embeddings from the model, mean-pooled (env EMBEDDINGS, 1 or true; "
                    + "default ${DEFAULT-VALUE}; needs the native engine).")
    private String embeddings;

    @Option(names = "--fault-error-rate", paramLabel = "0..1", defaultValue = "${env:FAULT_ERROR_RATE:-0}",
            description = "Fault injection: the share of model requests answered with an error instead "
                    + "(env FAULT_ERROR_RATE, default ${DEFAULT-VALUE}).")
    private double faultErrorRate;

    @Option(names = "--fault-error-statuses", paramLabel = "LIST", defaultValue = "${env:FAULT_ERROR_STATUSES:-429,503}",
            description = "What injected errors are, chosen at random: statuses (e.g. 429,503,500) or named kinds (rate_limit, "
                    + "invalid_api_key, context_length, server_error, invalid_request, model_not_found) "
                    + "(env FAULT_ERROR_STATUSES, default ${DEFAULT-VALUE}).")
    private String faultErrorStatuses;

    @Option(names = "--fault-every-n", paramLabel = "N", defaultValue = "${env:FAULT_EVERY_N:-0}",
            description = "Fault injection: every Nth model request fails (env FAULT_EVERY_N, default ${DEFAULT-VALUE}: off).")
    private int faultEveryN;

    @Option(names = "--fault-model", paramLabel = "ALIAS", defaultValue = "${env:FAULT_MODEL:-}",
            description = "Fault injection: requests naming this alias fail (env FAULT_MODEL, default none).")
    private String faultModel;

    @Option(names = "--latency-ttft-ms", defaultValue = "${env:LATENCY_TTFT_MS:-0}",
            description = "Latency shaping: target time to first token, held back to, never made up (env LATENCY_TTFT_MS, default ${DEFAULT-VALUE}: off).")
    private double latencyTtftMs;

    @Option(names = "--latency-ttft-std-ms", defaultValue = "${env:LATENCY_TTFT_STD_MS:-0}",
            description = "Its standard deviation (env LATENCY_TTFT_STD_MS, default ${DEFAULT-VALUE}).")
    private double latencyTtftStdMs;

    @Option(names = "--latency-itl-ms", defaultValue = "${env:LATENCY_ITL_MS:-0}",
            description = "Latency shaping: target inter-token latency (env LATENCY_ITL_MS, default ${DEFAULT-VALUE}: off).")
    private double latencyItlMs;

    @Option(names = "--latency-itl-std-ms", defaultValue = "${env:LATENCY_ITL_STD_MS:-0}",
            description = "Its standard deviation (env LATENCY_ITL_STD_MS, default ${DEFAULT-VALUE}).")
    private double latencyItlStdMs;

    @Option(names = "--latency-prefill-per-token-ms", defaultValue = "${env:LATENCY_PREFILL_PER_TOKEN_MS:-0}",
            description = "Latency shaping: added to the first token's target per prompt token "
                    + "(env LATENCY_PREFILL_PER_TOKEN_MS, default ${DEFAULT-VALUE}).")
    private double latencyPrefillPerTokenMs;

    @Option(names = "--latency-load-factor", defaultValue = "${env:LATENCY_LOAD_FACTOR:-0}",
            description = "Latency shaping: every target times 1 + this × running requests "
                    + "(env LATENCY_LOAD_FACTOR, default ${DEFAULT-VALUE}).")
    private double latencyLoadFactor;

    @Option(names = "--startup-delay-s", paramLabel = "S", defaultValue = "${env:STARTUP_DELAY_S:-0}",
            description = "Wait S seconds before loading the model, answering 503 meanwhile, like a slow node "
                    + "(env STARTUP_DELAY_S, default ${DEFAULT-VALUE}).")
    private int startupDelaySeconds;

    @Option(names = "--admin-api-key", paramLabel = "KEY", defaultValue = "${env:ADMIN_API_KEY:-}",
            description = "Unlocks the test controls: an X-Fault header carrying key=KEY forces a fault on its request "
                    + "(env ADMIN_API_KEY; default none: the header is ignored).")
    private String adminApiKey;

    @Option(names = "--deterministic", paramLabel = "true|false", defaultValue = "${env:DETERMINISTIC:-false}",
            arity = "1", description = "The same request gives byte-identical output and usage, alone or under load, "
                    + "across restarts: each slot decodes alone, no prompt reuse, seed 0 when none is given "
                    + "(env DETERMINISTIC, 1 or true; default ${DEFAULT-VALUE}; needs the native engine).")
    private String deterministic;

    @Option(names = "--dev-mode", paramLabel = "true|false", defaultValue = "${env:VLLM_SERVER_DEV_MODE:-false}",
            arity = "1", description = "vLLM's dev-mode endpoints: POST /sleep frees the model and the KV cache, POST "
                    + "/wake_up loads them again, GET /is_sleeping (env VLLM_SERVER_DEV_MODE, 1 or true; default "
                    + "${DEFAULT-VALUE}; sleep needs the native engine).")
    private String devMode;

    @Option(names = "--llama-lib-path", paramLabel = "DIR", defaultValue = "${env:LLAMA_LIB_PATH:-}",
            description = "Folder of a custom libjllama.so, e.g. the CUDA build of native/ (env LLAMA_LIB_PATH; "
                    + "default: the library bundled with the binding).")
    private String llamaLibPath;

    @Override
    public Integer call() {
        ServerConfig config = toConfig();
        if (llamaLibPath != null && !llamaLibPath.isBlank()) {
            // Read by the binding when it loads its native library, which has not happened yet.
            System.setProperty("de.kherud.llama.lib.path", llamaLibPath);
        }
        return Server.serve(config);
    }

    /** Checks every value once; a bad one is a usage error (exit code 2) that names it. */
    public ServerConfig toConfig() {
        if (modelPath == null || modelPath.toString().isBlank()) {
            throw new ParameterException(spec.commandLine(), "No model given: set MODEL_PATH or --model.");
        }
        StreamUsage usage = switch (streamUsage.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "always" -> StreamUsage.ALWAYS;
            case "requested" -> StreamUsage.REQUESTED;
            default -> throw new ParameterException(spec.commandLine(),
                    "STREAM_USAGE must be 'always' or 'requested', got '" + streamUsage + "'.");
        };
        try {
            return new ServerConfig(modelPath, names(), maxModelLen,
                    threads == 0 ? Runtime.getRuntime().availableProcessors() : threads, parallel, gpuLayers(),
                    llamaNice, host, port, defaultMaxTokens, maxQueue, usage, strictModelName, faultTokenDelayMillis,
                    apiKey == null || apiKey.isBlank() ? null : apiKey, drainTimeoutSeconds, sendTimeoutSeconds,
                    logLevel.trim().toLowerCase(java.util.Locale.ROOT), engine.trim().toLowerCase(java.util.Locale.ROOT),
                    nativeLibDir == null || nativeLibDir.isBlank() ? null : Path.of(nativeLibDir), flag("EMBEDDINGS", embeddings),
                    flag("DETERMINISTIC", deterministic), adminApiKey == null || adminApiKey.isBlank() ? null : adminApiKey,
                    new FaultSettings(faultErrorRate, FaultSettings.errors(faultErrorStatuses), faultEveryN, faultModel),
                    startupDelaySeconds, new LatencySettings(latencyTtftMs, latencyTtftStdMs, latencyItlMs,
                            latencyItlStdMs, latencyPrefillPerTokenMs, latencyLoadFactor),
                    flag("VLLM_SERVER_DEV_MODE", devMode));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** A switch written as 1/0 or true/false, the way such environment variables are. */
    private static boolean flag(String name, String value) {
        return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "1", "true" -> true;
            case "0", "false", "" -> false;
            default -> throw new IllegalArgumentException(name + " must be 1, 0, true or false, got '" + value + "'.");
        };
    }

    private int gpuLayers() {
        String value = gpuLayers.trim().toLowerCase(java.util.Locale.ROOT);
        if (value.equals("auto")) {
            return ServerConfig.GPU_LAYERS_AUTO;
        }
        try {
            int layers = Integer.parseInt(value);
            if (layers >= 0) {
                return layers;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ParameterException(spec.commandLine(),
                "N_GPU_LAYERS must be 'auto' or a number of layers (0 or more), got '" + gpuLayers + "'.");
    }

    private List<String> names() {
        List<String> names = servedModelNames == null ? List.of() : Arrays.stream(servedModelNames.split(","))
                .map(String::trim).filter(name -> !name.isEmpty()).toList();
        if (!names.isEmpty()) {
            return names;
        }
        String file = modelPath.getFileName().toString();
        return List.of(file.endsWith(".gguf") ? file.substring(0, file.length() - 5) : file);
    }
}
