package io.inventiv.worker;

import io.helidon.common.socket.SocketOptions;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.inventiv.worker.api.AccessLogFilter;
import io.inventiv.worker.api.ApiErrors;
import io.inventiv.worker.api.ChatCompletionsService;
import io.inventiv.worker.api.ClientConnections;
import io.inventiv.worker.api.CompletionsService;
import io.inventiv.worker.api.GuardFilter;
import io.inventiv.worker.api.AdminService;
import io.inventiv.worker.api.EmbeddingsService;
import io.inventiv.worker.api.TestControls;
import io.inventiv.worker.api.HealthService;
import io.inventiv.worker.api.ModelNames;
import io.inventiv.worker.api.ModelsService;
import io.inventiv.worker.api.RequestBodies;
import io.inventiv.worker.api.ServerState;
import io.inventiv.worker.api.ServingContext;
import io.inventiv.worker.api.SleepService;
import io.inventiv.worker.api.StatusService;
import io.inventiv.worker.api.SlowClientGuard;
import io.inventiv.worker.api.TokenizeService;
import io.inventiv.worker.logging.Logging;
import io.inventiv.worker.config.ServerConfig;
import io.inventiv.worker.engine.BindingBackend;
import io.inventiv.worker.engine.Engine;
import io.inventiv.worker.engine.EngineChoice;
import io.inventiv.worker.engine.ModelBackend;
import io.inventiv.worker.engine.NativeBackend;
import io.inventiv.worker.engine.jni.NativeLibrary;
import io.inventiv.worker.engine.EngineListener;
import io.inventiv.worker.engine.EngineSettings;
import io.inventiv.worker.engine.binding.GpuOffload;
import io.inventiv.worker.engine.binding.LlamaBinding;
import io.inventiv.worker.engine.binding.ModelLoadOptions;
import io.inventiv.worker.engine.ModelFacts;
import io.inventiv.worker.engine.binding.NativeLibraryFolder;
import io.inventiv.worker.engine.ModelLoadException;
import io.inventiv.worker.engine.binding.NativeLoadProbe;
import io.inventiv.worker.metrics.LiveFigures;
import io.inventiv.worker.metrics.MetricsService;
import io.inventiv.worker.metrics.VllmMetrics;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * The server's wiring: configuration, then the model load and the HTTP listener side by side
 * (the listener answers 503 until the model is loaded), then serving until SIGTERM drains and
 * stops the process. Read this file to see the whole server.
 */
public final class Server {
    public static final String VERSION = "0.1.0";
    /** A client must deliver each request head within this time (see SlowClientGuard). */
    public static final Duration HEADER_READ_TIMEOUT = Duration.ofSeconds(20);
    /** Largest request body accepted; a chat of 2048 long messages still fits. */
    public static final long MAX_BODY_BYTES = 8L * 1024 * 1024;

    private final ServerConfig config;
    private final ServerState state;
    private final VllmMetrics metrics;
    private final AccessLogFilter accessLog;
    private final ClientConnections connections;
    private final GpuOffload gpu;
    private final EngineChoice engine;
    private final SleepMode sleep;

    /** The collaborators every route reads; tests build one around a shared engine. */
    public Server(ServerConfig config, ServerState state, VllmMetrics metrics, AccessLogFilter accessLog,
            ClientConnections connections, EngineChoice engine) {
        this.config = config;
        this.engine = engine;
        this.state = state;
        this.metrics = metrics;
        this.accessLog = accessLog;
        this.connections = connections;
        // The native engine offloads to whatever device llama.cpp finds; this is the binding's reading.
        this.gpu = engine.isNative() ? new GpuOffload(GpuOffload.NONE, 0, false) : GpuOffload.resolve(config.gpuLayers());
        this.sleep = new SleepMode(state, () -> loadEngine(config, engine, gpu, metrics, null), config.drainTimeoutSeconds(),
                metrics::sleepLevel);
        sleep.onLoaded(metrics::bind);
    }

    /** Where and how the server listens. */
    static WebServerConfig.Builder listener(ServerConfig config) {
        return WebServer.builder()
                .host(config.host())
                .port(config.port())
                // Each token is one small write, which Nagle's algorithm would hold for the client's
                // delayed ACK (docs/DECISIONS.md, "TCP_NODELAY"); Uvicorn, under vLLM, does the same.
                .connectionOptions(SocketOptions.builder().tcpNoDelay(true).build())
                // Helidon's NIO socket writes a response in 8 KB pieces, each a wake-up for the
                // client; the stream socket writes it in one (docs/DECISIONS.md, "Stream socket").
                .useNio(false)
                // Our own hook drains first; Helidon's would close streams that are still running.
                .shutdownHook(false);
    }

    /** The serve command: load and listen at once, serve; returns only when either failed. */
    public static int serve(ServerConfig config) {
        Logging.configure(config.logLevel());
        ServerState state = new ServerState();
        state.delayLoad(config.startupDelaySeconds());
        VllmMetrics metrics = new VllmMetrics(config.primaryModelName(), config.maxModelLen(), config.parallel());
        // The load runs while the listener starts: each is mostly one thread, so side by side
        // they share the cores (docs/DECISIONS.md, "Load and listen side by side").
        long loadStart = System.nanoTime();
        AccessLogFilter accessLog = new AccessLogFilter(metrics::recordHttp);
        SlowClientGuard slowClients = new SlowClientGuard(HEADER_READ_TIMEOUT);
        EngineChoice choice = EngineChoice.resolve(config.engine(), config.nativeLibraryDir());
        if (choice.note() != null) {
            System.out.println((config.engine().equals("native") ? "warning" : "note")
                    + ": serving with the binding engine: " + choice.note());
        }
        Server wiring = new Server(config, state, metrics, accessLog, slowClients, choice);
        FutureTask<Engine> loading = new FutureTask<>(() -> {
            Thread.sleep(config.startupDelaySeconds() * 1000L); // STARTUP_DELAY_S: a slow node, on purpose
            return loadEngine(config, choice, wiring.gpu, metrics, state::loadProgress);
        });
        Thread.ofPlatform().name("model-loader").daemon().start(loading);
        WebServerConfig.Builder listener = listener(config)
                .routing(routing -> {
                    routing.addFilter(slowClients);
                    wiring.routing(routing);
                });
        slowClients.install(listener);
        WebServer server = null;
        String cannotListen;
        try {
            server = listener.build().start();
            // Helidon logs a bind failure and returns a stopped server; without this check the
            // process would load the model and wait forever, listening nowhere.
            cannotListen = server.isRunning() ? null : whyCannotListen(config.host(), config.port());
        } catch (IllegalArgumentException e) { // Helidon resolves HOST while building the listener
            cannotListen = e.getCause() instanceof UnknownHostException ? "unknown host" : e.getMessage();
        }
        if (cannotListen != null) {
            System.err.println("error: could not listen on " + config.host() + ":" + config.port() + ": "
                    + cannotListen);
            return 1;
        }
        System.out.println("worker-llamacpp listening on http://" + config.host() + ":" + server.port()
                + "; loading " + config.modelPath() + "; " + wiring.describeEngine());
        GracefulShutdown shutdown = new GracefulShutdown(state, accessLog, server, config.drainTimeoutSeconds());
        Runtime.getRuntime().addShutdownHook(new Thread(shutdown::run, "graceful-shutdown"));

        Engine engine;
        try {
            engine = loaded(loading);
        } catch (ModelLoadException e) {
            System.err.println("error: could not load model " + config.modelPath() + ": " + e.getMessage());
            if (e.fromNativeCode() && !choice.isNative()) {
                ModelLoadOptions options = loadOptions(config, wiring.gpu);
                String reason = NativeLoadProbe.explain(options);
                System.err.println("llama.cpp says:\n  " + reason);
                String hint = NativeLoadProbe.hint(reason, options);
                if (hint != null) {
                    System.err.println("hint: " + hint);
                }
            }
            return 1;
        }
        metrics.bind(engine);
        shutdown.engineLoaded(engine);
        wiring.sleep.onLoaded(shutdown::engineLoaded);
        state.markReady(engine);
        System.out.printf("model loaded in %d ms; serving %s%n", (System.nanoTime() - loadStart) / 1_000_000,
                config.servedModelNames());
        try {
            Thread.currentThread().join(); // until SIGTERM; GracefulShutdown ends the process
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** Waits for the load started by {@link #serve}; its own exception as it was thrown. */
    private static Engine loaded(FutureTask<Engine> loading) throws ModelLoadException {
        try {
            return loading.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the model loads", e);
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case ModelLoadException cannotLoad -> throw cannotLoad;
                case RuntimeException unexpected -> throw unexpected;
                case Error fatal -> throw fatal;
                default -> throw new IllegalStateException(e.getCause());
            }
        }
    }

    /** Helidon keeps the bind error in its log; binding once more names it in one line. */
    private static String whyCannotListen(String host, int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(host, port));
            return "the listener did not start (see the log above)";
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    /** Loads the model once for the process, with the engine ENGINE names, and starts its slots. */
    public static Engine loadEngine(ServerConfig config, EngineListener listener) throws ModelLoadException {
        return loadEngine(config, EngineChoice.resolve(config.engine(), config.nativeLibraryDir()),
                GpuOffload.resolve(config.gpuLayers()), listener, null);
    }

    /** {@code progress} (or null) hears how much of the model file the native engine has read. */
    private static Engine loadEngine(ServerConfig config, EngineChoice engine, GpuOffload gpu, EngineListener listener,
            java.util.function.DoubleConsumer progress) throws ModelLoadException {
        if (config.deterministic() && !engine.isNative()) {
            throw new ModelLoadException("DETERMINISTIC needs ENGINE=native: the binding batches requests inside "
                    + "llama.cpp, where their numerics depend on each other.");
        }
        ModelFacts facts = ModelFacts.inspect(config.modelPath());
        facts.requireTrainedFor(config.maxModelLen());
        ModelBackend backend;
        if (engine.isNative()) {
            engine.library().verbose(config.nativeDebugLog());
            // -1 (auto) offloads every layer to whatever GPU llama.cpp found, and nothing without one.
            backend = NativeBackend.load(engine.library(), config.modelPath(), facts, config.gpuLayers(),
                    config.threads(), progress);
        } else {
            NativeLibraryFolder.usePerProcessFolder();
            backend = new BindingBackend(LlamaBinding.load(loadOptions(config, gpu), facts));
        }
        EngineSettings settings = new EngineSettings(config.maxModelLen(), config.parallel(), config.maxQueue(),
                config.defaultMaxTokens(), config.faultTokenDelayMillis(), config.deterministic());
        try {
            return new Engine(backend, settings, listener);
        } catch (RuntimeException e) {
            if (backend.freesOnClose()) {
                backend.close(); // a wake that fails must not keep the model it loaded
            }
            throw e;
        }
    }

    /** The engine, and what it runs on, for the start-up line. */
    private String describeEngine() {
        if (engine.isNative()) {
            NativeLibrary library = engine.library();
            return "engine native (llama.cpp " + library.release() + " " + library.commit() + ", " + library.flavor()
                    + " build; " + library.cpuFeatures().strip() + ")";
        }
        return "engine binding (de.kherud:llama " + BindingBackend.BINDING_VERSION + ", llama.cpp "
                + BindingBackend.LLAMA_CPP_BUILD + "); " + gpu.describe();
    }

    /** Every route and filter of the server, in one place. Tests call this too, so they run the real routes. */
    public void routing(HttpRouting.Builder routing) {
        ServingContext serving = new ServingContext(state,
                new ModelNames(config.servedModelNames(), config.strictModelName()),
                new RequestBodies(MAX_BODY_BYTES), config.streamUsage(), connections,
                Duration.ofSeconds(config.sendTimeoutSeconds()), new TestControls(config.adminApiKey(),
                        config.faults(), config.latency(), new ControlMetricsFeed(metrics)));
        ApiErrors.register(routing);
        routing.addFilter(accessLog)
                .addFilter(new GuardFilter(state, config.apiKey()))
                .register(new HealthService(versionFacts()))
                .register(new MetricsService(metrics))
                .register(new ModelsService(config.servedModelNames(), config.modelPath().toString(),
                        config.maxModelLen()))
                .register(new ChatCompletionsService(serving))
                .register(new CompletionsService(serving))
                .register(new EmbeddingsService(serving, config.embeddings()))
                .register(new TokenizeService(serving))
                .register(new AdminService(serving.controls(), serving.bodies(), state, config.deterministic()));
        routing.register(new StatusService(state, config, versionFacts(), serving.controls(),
                () -> LiveFigures.of(metrics)));
        if (config.devMode()) {
            routing.register(new SleepService(sleep));
        }
        routing.any(ApiErrors::notFound);
    }

    /** What /version (and /status) say of the server and its engine; known before the model loads. */
    private java.util.Map<String, Object> versionFacts() {
        java.util.Map<String, Object> facts = new java.util.LinkedHashMap<>();
        facts.put("version", VERSION);
        facts.put("engine", engine.name());
        if (engine.isNative()) {
            NativeLibrary library = engine.library();
            facts.put("llama_cpp", library.release());
            facts.put("llama_cpp_commit", library.commit());
            facts.put("native_build", library.flavor());
            facts.put("cpu", library.cpuFeatures().strip());
            facts.put("devices", library.devices().lines().map(line -> line.split("\t")[0]).toList());
        } else {
            facts.put("llama_cpp", BindingBackend.LLAMA_CPP_BUILD);
            facts.put("binding", BindingBackend.BINDING_VERSION);
            facts.put("gpu_backend", gpu.backend());
            facts.put("n_gpu_layers", gpu.layers());
        }
        return facts;
    }

    /** llama.cpp's load settings: each slot gets N_CTX tokens of the shared context. */
    private static ModelLoadOptions loadOptions(ServerConfig config, GpuOffload gpu) {
        return new ModelLoadOptions(config.modelPath(), config.maxModelLen() * config.parallel(), config.parallel(),
                config.threads(), gpu.layers(), config.llamaNice(), config.nativeDebugLog());
    }
}
