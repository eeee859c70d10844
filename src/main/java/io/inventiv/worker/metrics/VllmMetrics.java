package io.inventiv.worker.metrics;

import io.inventiv.worker.engine.Engine;
import io.inventiv.worker.engine.EngineListener;
import io.inventiv.worker.engine.FinishReason;
import io.inventiv.worker.engine.Generation;
import io.inventiv.worker.engine.GenerationResult;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * vLLM v1's metrics, with its names, types, labels ({@code model_name}, {@code engine="0"}) and
 * bucket boundaries, so dashboards and the control plane's agent built for vLLM read ours as is.
 * The queue gauges are read from the engine at scrape time, so they are true at that instant.
 *
 * <p>Without exemplars: vLLM shows none, the text format cannot carry them, and the library's
 * exemplar sampler wakes its scheduler thread every other token, each wake-up taken from
 * llama.cpp's threads (docs/DECISIONS.md, "No exemplars").
 */
public final class VllmMetrics implements EngineListener {
    static final double[] TTFT_BUCKETS = {0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0,
            2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0, 160.0, 640.0, 2560.0};
    static final double[] TOKEN_LATENCY_BUCKETS = {0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75,
            1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0};
    static final double[] REQUEST_LATENCY_BUCKETS = {0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0,
            40.0, 50.0, 60.0, 120.0, 240.0, 480.0, 960.0, 1920.0, 7680.0};
    private static final String[] LABELS = {"model_name", "engine"};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final String[] labelValues;
    private volatile Supplier<Engine> engine = () -> null;

    private final Counter promptTokens;
    private final Counter generationTokens;
    private final Counter requestSuccess;
    private final Counter prefixCacheQueries;
    private final Counter prefixCacheHits;
    private final Histogram timeToFirstToken;
    /**
     * Observed once per generated token, so its data point is looked up once: {@code labelValues}
     * hashes the label list on every call (docs/DECISIONS.md, "Per-token and per-request cuts").
     */
    private final Histogram interTokenHistogram;
    private final DistributionDataPoint interTokenLatency;
    private final Histogram timePerOutputToken;
    private final Histogram e2eLatency;
    private final Histogram queueTime;
    private final Histogram inferenceTime;
    private final Histogram prefillTime;
    private final Histogram decodeTime;
    private final Histogram requestPromptTokens;
    private final Histogram requestGenerationTokens;
    private final Histogram requestMaxTokens;
    private final Counter httpRequests;
    private final ControlMeters controls;
    private final Gauge sleepState;
    private final ProcessMeters processMeters = ProcessMeters.create();

    public VllmMetrics(String modelName, int maxModelLen, int parallel) {
        labelValues = new String[] {modelName, "0"};
        gauge("vllm:num_requests_running", "Number of requests in model execution batches.", e -> e.running());
        gauge("vllm:num_requests_waiting", "Number of requests waiting to be processed.", e -> e.waiting());
        gauge("vllm:kv_cache_usage_perc", "KV-cache usage. 1 means 100 percent usage.", Engine::kvCacheUsage);
        Gauge cacheConfig = Gauge.builder().name("vllm:cache_config_info").help("Information of the LLMEngine CacheConfig")
                .labelNames("block_size", "cache_dtype", "enable_prefix_caching", "num_gpu_blocks", "engine")
                .withoutExemplars().register(registry);
        cacheConfig.labelValues("1", "f16", "True", Long.toString((long) maxModelLen * parallel), "0").set(1);

        promptTokens = counter("vllm:prompt_tokens", "Number of prefill tokens processed.");
        generationTokens = counter("vllm:generation_tokens", "Number of generation tokens processed.");
        counter("vllm:num_preemptions", "Cumulative number of preemption from the engine."); // never preempts
        // Counted by the native engine, whose slots reuse cached prefixes; the binding cannot tell.
        prefixCacheQueries = counter("vllm:prefix_cache_queries",
                "Prefix cache queries, in terms of number of queried tokens.");
        prefixCacheHits = counter("vllm:prefix_cache_hits", "Prefix cache hits, in terms of number of cached tokens.");
        requestSuccess = Counter.builder().name("vllm:request_success").help("Count of successfully processed requests.")
                .labelNames("model_name", "engine", "finished_reason").withoutExemplars().register(registry);
        for (FinishReason reason : FinishReason.values()) {
            requestSuccess.labelValues(modelName, "0", reason.wireName()); // at 0 from the start, as in vLLM
        }

        timeToFirstToken = histogram("vllm:time_to_first_token_seconds", "Histogram of time to first token in seconds.",
                TTFT_BUCKETS);
        interTokenHistogram = histogram("vllm:inter_token_latency_seconds",
                "Histogram of inter-token latency in seconds.", TOKEN_LATENCY_BUCKETS);
        interTokenLatency = interTokenHistogram.labelValues(labelValues);
        timePerOutputToken = histogram("vllm:request_time_per_output_token_seconds",
                "Histogram of time_per_output_token_seconds per request.", TOKEN_LATENCY_BUCKETS);
        e2eLatency = histogram("vllm:e2e_request_latency_seconds", "Histogram of e2e request latency in seconds.",
                REQUEST_LATENCY_BUCKETS);
        queueTime = histogram("vllm:request_queue_time_seconds",
                "Histogram of time spent in WAITING phase for request.", REQUEST_LATENCY_BUCKETS);
        inferenceTime = histogram("vllm:request_inference_time_seconds",
                "Histogram of time spent in RUNNING phase for request.", REQUEST_LATENCY_BUCKETS);
        prefillTime = histogram("vllm:request_prefill_time_seconds",
                "Histogram of time spent in PREFILL phase for request.", REQUEST_LATENCY_BUCKETS);
        decodeTime = histogram("vllm:request_decode_time_seconds",
                "Histogram of time spent in DECODE phase for request.", REQUEST_LATENCY_BUCKETS);
        double[] tokenBuckets = oneTwoFiveBuckets(maxModelLen);
        requestPromptTokens = histogram("vllm:request_prompt_tokens", "Number of prefill tokens processed.",
                tokenBuckets);
        requestGenerationTokens = histogram("vllm:request_generation_tokens",
                "Number of generation tokens processed.", tokenBuckets);
        requestMaxTokens = histogram("vllm:request_params_max_tokens", "Histogram of the max_tokens request parameter.",
                tokenBuckets);

        httpRequests = Counter.builder().name("http_requests").help("Total number of requests by method, status and handler.")
                .labelNames("handler", "method", "status").withoutExemplars().register(registry);
        controls = new ControlMeters(registry);
        sleepState = Gauge.builder().name("vllm:engine_sleep_state")
                .help("Engine sleep state; awake = 0 means engine is sleeping; awake = 1 means engine is awake; "
                        + "weights_offloaded = 1 means sleep level 1; discard_all = 1 means sleep level 2.")
                .labelNames("model_name", "engine", "sleep_state").withoutExemplars().register(registry);
        sleepLevel(0);
        registry.register(processMeters);
    }

    /** The sleep state as vLLM shows it: 0 awake, 1 weights offloaded, 2 everything discarded. */
    public void sleepLevel(int level) {
        String[] states = {"awake", "weights_offloaded", "discard_all"};
        for (int i = 0; i < states.length; i++) {
            sleepState.labelValues(labelValues[0], labelValues[1], states[i]).set(i == level ? 1 : 0);
        }
    }

    /** Connects the queue gauges to the engine once the model has loaded; until then they read 0. */
    public void bind(Engine loaded) {
        engine = () -> loaded;
    }

    /** One HTTP request answered, for {@code http_requests_total}. */
    public void recordHttp(String handler, String method, int status) {
        httpRequests.labelValues(handler, method, Integer.toString(status)).inc();
    }

    public MetricSnapshots scrape() {
        return registry.scrape();
    }

    /**
     * The running totals the status page reads, collected from their own series: a filtered
     * registry scrape would still read the process meters, which stay off request paths.
     */
    MetricSnapshots liveTotals() {
        return new MetricSnapshots(promptTokens.collect(), generationTokens.collect(), timeToFirstToken.collect(),
                interTokenHistogram.collect(), controls.faultsCollected());
    }

    /**
     * Reads the process meters again if their copy is a second old; called a little after each
     * scrape, so that the next scrape need not (see {@link ProcessMeters}).
     */
    public void refreshProcessMeters() {
        processMeters.refreshIfOlderThan(ProcessMeters.MAX_AGE_NANOS);
    }

    @Override
    public void onStarted(Generation generation, long atNanos) {
        promptTokens.labelValues(labelValues).inc(generation.promptTokens());
    }

    @Override
    public void onPromptCache(Generation generation, int promptTokens, int cachedTokens) {
        prefixCacheQueries.labelValues(labelValues).inc(promptTokens);
        prefixCacheHits.labelValues(labelValues).inc(cachedTokens);
    }

    @Override
    public void onFirstToken(Generation generation, long atNanos) {
        if (!timedAtDelivery(generation)) {
            timeToFirstToken.labelValues(labelValues).observe(seconds(atNanos - generation.queuedAtNanos()));
        }
    }

    @Override
    public void onNextToken(Generation generation, long gapNanos) {
        if (!timedAtDelivery(generation)) {
            interTokenLatency.observe(seconds(gapNanos));
        }
    }

    /**
     * Under latency shaping, what the client saw: the first piece {@code nanos} after arrival, in
     * place of the engine's time to first token.
     */
    public void firstPieceDelivered(long nanos) {
        timeToFirstToken.labelValues(labelValues).observe(seconds(nanos));
    }

    /** Under latency shaping, the gap before each later piece, in place of the engine's. */
    public void nextPieceDelivered(long gapNanos) {
        interTokenLatency.observe(seconds(gapNanos));
    }

    /** Under latency shaping, the response's end as its client saw it. */
    public void shapedResponseEnded(long nanos) {
        e2eLatency.labelValues(labelValues).observe(seconds(nanos));
    }

    @Override
    public void onFinished(Generation generation, GenerationResult result) {
        generationTokens.labelValues(labelValues).inc(result.completionTokens());
        requestSuccess.labelValues(labelValues[0], labelValues[1], result.finishReason().wireName()).inc();
        if (!timedAtDelivery(generation)) {
            e2eLatency.labelValues(labelValues).observe(seconds(result.finishedAtNanos() - result.queuedAtNanos()));
        }
        long started = result.startedAtNanos() > 0 ? result.startedAtNanos() : result.finishedAtNanos();
        queueTime.labelValues(labelValues).observe(seconds(started - result.queuedAtNanos()));
        requestPromptTokens.labelValues(labelValues).observe(result.promptTokens());
        requestGenerationTokens.labelValues(labelValues).observe(result.completionTokens());
        requestMaxTokens.labelValues(labelValues).observe(result.maxTokens());
        if (result.startedAtNanos() > 0) {
            inferenceTime.labelValues(labelValues).observe(seconds(result.finishedAtNanos() - result.startedAtNanos()));
        }
        if (result.firstTokenAtNanos() > 0) {
            prefillTime.labelValues(labelValues).observe(seconds(result.firstTokenAtNanos() - result.startedAtNanos()));
            double decode = seconds(result.finishedAtNanos() - result.firstTokenAtNanos());
            decodeTime.labelValues(labelValues).observe(decode);
            if (result.completionTokens() > 1) {
                timePerOutputToken.labelValues(labelValues).observe(decode / (result.completionTokens() - 1));
            }
        }
    }

    /** The test controls' own families: faults injected, latency targets missed. */
    public ControlMeters controls() {
        return controls;
    }

    /** vLLM counts a pooling request as a finished request whose prompt is its input. */
    @Override
    public void onEmbedded(int promptTokenCount, long nanos) {
        promptTokens.labelValues(labelValues).inc(promptTokenCount);
        requestSuccess.labelValues(labelValues[0], labelValues[1], "stop").inc();
        e2eLatency.labelValues(labelValues).observe(seconds(nanos));
        requestPromptTokens.labelValues(labelValues).observe(promptTokenCount);
    }

    /** vLLM's build_1_2_5_buckets: 1, 2, 5, 10, 20, 50, … up to {@code max}. */
    static double[] oneTwoFiveBuckets(int max) {
        List<Double> buckets = new ArrayList<>();
        for (long exponent = 1; ; exponent *= 10) {
            for (int mantissa : new int[] {1, 2, 5}) {
                long value = mantissa * exponent;
                if (value > max) {
                    return buckets.stream().mapToDouble(Double::doubleValue).toArray();
                }
                buckets.add((double) value);
            }
        }
    }

    /** Whether the API layer times this generation as delivered; a bare observation (null) is the engine's. */
    private static boolean timedAtDelivery(Generation generation) {
        return generation != null && generation.timedAtDelivery();
    }

    private static double seconds(long nanos) {
        return Math.max(0, nanos) / 1e9;
    }

    private void gauge(String name, String help, java.util.function.ToDoubleFunction<Engine> read) {
        GaugeWithCallback.builder().name(name).help(help).labelNames(LABELS)
                .callback(callback -> {
                    Engine current = engine.get();
                    callback.call(current == null ? 0 : read.applyAsDouble(current), labelValues);
                })
                .register(registry);
    }

    private Counter counter(String name, String help) {
        Counter counter = Counter.builder().name(name).help(help).labelNames(LABELS).withoutExemplars()
                .register(registry);
        counter.labelValues(labelValues); // present from the first scrape, at 0
        return counter;
    }

    private Histogram histogram(String name, String help, double[] buckets) {
        Histogram histogram = Histogram.builder().name(name).help(help).labelNames(LABELS)
                .classicOnly().classicUpperBounds(buckets).withoutExemplars().register(registry);
        histogram.labelValues(labelValues);
        return histogram;
    }
}
