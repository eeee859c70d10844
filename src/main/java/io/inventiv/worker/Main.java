package io.inventiv.worker;

import io.helidon.logging.common.LogConfig;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.inventiv.worker.api.ApiErrors;
import io.inventiv.worker.api.ChatCompletionsService;
import io.inventiv.worker.api.CompletionsService;
import io.inventiv.worker.api.HealthService;
import io.inventiv.worker.api.ModelNames;
import io.inventiv.worker.api.ModelsService;
import io.inventiv.worker.api.RequestBodies;
import io.inventiv.worker.api.ServingContext;
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
import java.nio.file.Path;

/**
 * Wiring only: configuration, then the engine, then the routes, then the server.
 * Read this file to see the whole server.
 */
public final class Main {
    /** Largest request body accepted; a chat of 2048 long messages still fits. */
    public static final long MAX_BODY_BYTES = 8L * 1024 * 1024;

    private Main() {
    }

    public static void main(String[] args) {
        int exitCode = WorkerCommand.execute(args);
        System.out.flush();
        // The binding leaves a native thread attached, so the JVM would never exit by itself.
        Runtime.getRuntime().halt(exitCode);
    }

    /** The serve command: load, listen, and block until the process is told to stop. */
    public static int serve(ServerConfig config) {
        LogConfig.configureRuntime();
        Engine engine;
        long loadStart = System.nanoTime();
        try {
            engine = loadEngine(config);
            System.out.printf("model %s loaded in %d ms%n", config.modelPath(),
                    (System.nanoTime() - loadStart) / 1_000_000);
        } catch (ModelLoadException e) {
            System.err.println("error: could not load model " + config.modelPath() + ": " + e.getMessage());
            if (e.fromNativeCode()) {
                System.err.println("llama.cpp says:\n  " + NativeLoadProbe.explain(config.modelPath()));
            }
            return 1;
        }
        WebServer server = WebServer.builder()
                .host(config.host())
                .port(config.port())
                .routing(routing -> routing(routing, engine, config))
                .build()
                .start();
        System.out.println("worker-llamacpp serving " + config.servedModelNames() + " on http://" + config.host()
                + ":" + server.port());
        try {
            Thread.currentThread().join(); // until SIGTERM; the JVM's shutdown hooks do the rest
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** Loads the model once for the process and starts the slot workers. */
    public static Engine loadEngine(ServerConfig config) throws ModelLoadException {
        ensureNativeLibraryFolder();
        ModelFacts facts = ModelFacts.inspect(config.modelPath());
        LlamaBinding binding = LlamaBinding.load(new LoadOptions(config.modelPath(),
                config.maxModelLen() * config.parallel(), config.parallel(), config.threads(), config.gpuLayers()),
                facts);
        return new Engine(binding, new EngineSettings(config.maxModelLen(), config.parallel(), config.maxQueue(),
                config.defaultMaxTokens(), config.faultTokenDelayMillis()), EngineListener.NONE);
    }

    /** Every route of the server, in one place. Tests call this too, so they run the real routes. */
    public static void routing(HttpRouting.Builder routing, Engine engine, ServerConfig config) {
        ServingContext serving = new ServingContext(engine,
                new ModelNames(config.servedModelNames(), config.strictModelName()),
                new RequestBodies(MAX_BODY_BYTES), config.streamUsage());
        ApiErrors.register(routing);
        routing.register(new HealthService())
                .register(new ModelsService(config.servedModelNames(), config.modelPath().toString(),
                        config.maxModelLen()))
                .register(new ChatCompletionsService(serving))
                .register(new CompletionsService(serving))
                .any(ApiErrors::notFound);
    }

    /**
     * The binding extracts its native library to one fixed file in /tmp, shared by every process
     * on the machine; give this process its own folder unless one was chosen.
     */
    private static void ensureNativeLibraryFolder() {
        String chosen = System.getProperty("de.kherud.llama.tmpdir");
        Path folder = chosen != null ? Path.of(chosen)
                : Path.of(System.getProperty("java.io.tmpdir"), "worker-llamacpp-" + ProcessHandle.current().pid());
        // The binding reports a missing folder as "no native library found", so create it.
        folder.toFile().mkdirs();
        System.setProperty("de.kherud.llama.tmpdir", folder.toString());
    }
}
