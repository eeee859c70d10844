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
import io.inventiv.worker.api.HealthService;
import io.inventiv.worker.api.ModelNames;
import io.inventiv.worker.api.ModelsService;
import io.inventiv.worker.api.RequestBodies;
import io.inventiv.worker.api.ServerState;
import io.inventiv.worker.api.ServingContext;
import io.inventiv.worker.api.SlowClientGuard;
import io.inventiv.worker.api.TokenizeService;
import io.inventiv.worker.cli.Logging;
import io.inventiv.worker.cli.WorkerCommand;
import io.inventiv.worker.config.ServerConfig;
import io.inventiv.worker.engine.Engine;
import io.inventiv.worker.engine.EngineListener;
import io.inventiv.worker.engine.EngineSettings;
import io.inventiv.worker.engine.binding.LlamaBinding;
import io.inventiv.worker.engine.binding.LoadOptions;
import io.inventiv.worker.engine.binding.ModelFacts;
import io.inventiv.worker.engine.binding.ModelLoadException;
import io.inventiv.worker.engine.binding.NativeLoadProbe;
import io.inventiv.worker.metrics.MetricsService;
import io.inventiv.worker.metrics.VllmMetrics;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Wiring only: configuration, then the model load and the HTTP listener side by side (the
 * listener answers 503 until the model is loaded), then serving until SIGTERM drains and stops
 * the process.
 * Read this file to see the whole server.
 */
public final class Main {
    public static final String VERSION = "0.1.0";
    public static final String LLAMA_CPP_BUILD = "b4916";
    public static final String BINDING_VERSION = "4.2.0";
    /** A client must deliver each request head within this time (see SlowClientGuard). */
    public static final Duration HEADER_READ_TIMEOUT = Duration.ofSeconds(20);
    /** Largest request body accepted; a chat of 2048 long messages still fits. */
    public static final long MAX_BODY_BYTES = 8L * 1024 * 1024;

    private Main() {
    }

    public static void main(String[] args) {
        Logging.installLogManager();
        int exitCode = WorkerCommand.execute(args);
        System.out.flush();
        // The binding leaves a native thread attached, so the JVM would never exit by itself.
        Runtime.getRuntime().halt(exitCode);
    }

    /** Where and how the server listens. */
    static WebServerConfig.Builder listener(ServerConfig config) {
        return WebServer.builder()
                .host(config.host())
                .port(config.port())
                // Each token is one small write. With Nagle's algorithm, a write made while the last
                // one is unacknowledged waits for the client's delayed ACK, up to 40 ms: measured on
                // /metrics with curl, 44 ms against 0.9 ms without. Uvicorn, under vLLM, sets
                // TCP_NODELAY on every connection too.
                .connectionOptions(SocketOptions.builder().tcpNoDelay(true).build())
                // Helidon's NIO socket copies every response through an 8 KB buffer, one write
                // each: /metrics (30 KB) left in 4 writes, each a wake-up for the client on busy
                // cores. The stream socket writes a response in one (strace); under the 4-stream
                // load /metrics p99 went 7.0, 7.0, 6.4 -> 6.7, 6.3, 5.7 ms
                // (docs/BENCHMARKS-HISTORY.md, "Session 7").
                .useNio(false)
                // Our own hook drains first; Helidon's would close streams that are still running.
                .shutdownHook(false);
    }

    /** The serve command: load and listen at once, serve; returns only when either failed. */
    public static int serve(ServerConfig config) {
        Logging.configure(config.logLevel());
        ServerState state = new ServerState();
        VllmMetrics metrics = new VllmMetrics(config.primaryModelName(), config.maxModelLen(), config.parallel());
        // The load runs while the listener starts. Each takes about a second, much of it on one
        // thread (Helidon's classes; llama.cpp reading the vocabulary), so side by side they
        // share the cores: start -> ready went from 3.63 to 3.16 s on 2 busy cores (median of 6
        // starts each), though the load alone then takes longer. More cores, more gain.
        long loadStart = System.nanoTime();
        FutureTask<Engine> loading = new FutureTask<>(() -> loadEngine(config, metrics));
        Thread.ofPlatform().name("model-loader").daemon().start(loading);
        AccessLogFilter accessLog = new AccessLogFilter(metrics::recordHttp);
        SlowClientGuard slowClients = new SlowClientGuard(HEADER_READ_TIMEOUT);
        WebServerConfig.Builder listener = listener(config)
                .routing(routing -> {
                    routing.addFilter(slowClients);
                    routing(routing, state, metrics, accessLog, config, slowClients);
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
                + "; loading " + config.modelPath());
        GracefulShutdown shutdown = new GracefulShutdown(state, accessLog, server, config.drainTimeoutSeconds());
        Runtime.getRuntime().addShutdownHook(new Thread(shutdown::run, "graceful-shutdown"));

        Engine engine;
        try {
            engine = loaded(loading);
        } catch (ModelLoadException e) {
            System.err.println("error: could not load model " + config.modelPath() + ": " + e.getMessage());
            if (e.fromNativeCode()) {
                LoadOptions options = loadOptions(config);
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

    /** Loads the model once for the process and starts the slot workers. */
    public static Engine loadEngine(ServerConfig config, EngineListener listener) throws ModelLoadException {
        ensureNativeLibraryFolder();
        ModelFacts facts = ModelFacts.inspect(config.modelPath());
        facts.requireTrainedFor(config.maxModelLen());
        LlamaBinding binding = LlamaBinding.load(loadOptions(config), facts);
        return new Engine(binding, new EngineSettings(config.maxModelLen(), config.parallel(), config.maxQueue(),
                config.defaultMaxTokens(), config.faultTokenDelayMillis()), listener);
    }

    /** Every route and filter of the server, in one place. Tests call this too, so they run the real routes. */
    public static void routing(HttpRouting.Builder routing, ServerState state, VllmMetrics metrics,
            AccessLogFilter accessLog, ServerConfig config, ClientConnections connections) {
        ServingContext serving = new ServingContext(state,
                new ModelNames(config.servedModelNames(), config.strictModelName()),
                new RequestBodies(MAX_BODY_BYTES), config.streamUsage(), connections,
                Duration.ofSeconds(config.sendTimeoutSeconds()));
        ApiErrors.register(routing);
        routing.addFilter(accessLog)
                .addFilter(new GuardFilter(state, config.apiKey()))
                .register(new HealthService(VERSION, LLAMA_CPP_BUILD, BINDING_VERSION))
                .register(new MetricsService(metrics))
                .register(new ModelsService(config.servedModelNames(), config.modelPath().toString(),
                        config.maxModelLen()))
                .register(new ChatCompletionsService(serving))
                .register(new CompletionsService(serving))
                .register(new TokenizeService(serving))
                .any(ApiErrors::notFound);
    }

    /** llama.cpp's load settings: each slot gets N_CTX tokens of the shared context. */
    private static LoadOptions loadOptions(ServerConfig config) {
        return new LoadOptions(config.modelPath(), config.maxModelLen() * config.parallel(), config.parallel(),
                config.threads(), config.gpuLayers(), config.llamaNice(), config.nativeDebugLog());
    }

    /**
     * The binding extracts its native library to one fixed file, shared by every process on the
     * machine: a second process re-extracting it while this one has it mapped crashes this one
     * (SIGSEGV). So each process gets its own folder, below the chosen one if any.
     */
    private static void ensureNativeLibraryFolder() {
        String chosen = System.getProperty("de.kherud.llama.tmpdir");
        Path base = Path.of(chosen != null ? chosen : System.getProperty("java.io.tmpdir"));
        if (base.getFileName() != null && base.getFileName().toString().startsWith("worker-llamacpp-")) {
            return; // already ours
        }
        removeFoldersOfDeadProcesses(base);
        Path folder = base.resolve("worker-llamacpp-" + ProcessHandle.current().pid());
        // The binding reports a missing folder as "no native library found", so create it.
        folder.toFile().mkdirs();
        System.setProperty("de.kherud.llama.tmpdir", folder.toString());
    }

    /** Processes end with a halt, which skips deleteOnExit; their 6 MB libraries are removed here. */
    private static void removeFoldersOfDeadProcesses(Path base) {
        java.io.File[] folders = base.toFile().listFiles((dir, name) -> name.matches("worker-llamacpp-\\d+"));
        for (java.io.File folder : folders == null ? new java.io.File[0] : folders) {
            long pid = Long.parseLong(folder.getName().substring("worker-llamacpp-".length()));
            if (ProcessHandle.of(pid).isEmpty()) {
                java.io.File[] files = folder.listFiles();
                for (java.io.File file : files == null ? new java.io.File[0] : files) {
                    file.delete();
                }
                folder.delete();
            }
        }
    }
}
