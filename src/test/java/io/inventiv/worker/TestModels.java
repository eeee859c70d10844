package io.inventiv.worker;

import io.helidon.webserver.http.HttpRouting;
import io.inventiv.worker.api.AccessLogFilter;
import io.inventiv.worker.api.ClientConnections;
import io.inventiv.worker.api.ServerState;
import io.inventiv.worker.config.FaultSettings;
import io.inventiv.worker.config.LatencySettings;
import io.inventiv.worker.config.ServerConfig;
import io.inventiv.worker.metrics.VllmMetrics;
import io.inventiv.worker.config.ServerConfig.StreamUsage;
import io.inventiv.worker.engine.Engine;
import io.inventiv.worker.engine.EngineChoice;
import io.inventiv.worker.engine.ModelLoadException;
import io.inventiv.worker.tools.gguf.QwenFixtureModel;
import io.inventiv.worker.tools.gguf.QwenModelSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Real models for tests, loaded once per JVM and configuration: the binding leaks on close(),
 * so engines are cached and never closed.
 */
public final class TestModels {
    /** The name every test server serves its model under. */
    public static final String MODEL_NAME = "test-model";

    /**
     * The engine every model test runs on: {@code -Dtest.engine=native|binding}. The build runs the
     * whole suite once per engine (pom.xml, Surefire and Failsafe executions).
     */
    public static final String ENGINE = System.getProperty("test.engine", "binding");

    private static final Map<ServerConfig, TestServer> SERVERS = new HashMap<>();
    private static Path tinyQwen;

    private TestModels() {
    }

    /** Our own qwen2 fixture: byte-level BPE, ChatML template, seeded random weights. */
    public static synchronized Path tinyQwen() {
        if (tinyQwen == null) {
            try {
                Path folder = Files.createDirectories(Path.of("target", "test-models"));
                Path file = folder.resolve("tiny-qwen.gguf");
                QwenFixtureModel.write(QwenModelSpec.tiny(), file);
                tinyQwen = file;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return tinyQwen;
    }

    /** stories260K from ../shared/models, which writes real English, when it is present. */
    public static Optional<Path> stories() {
        Path file = Path.of("..", "shared", "models", "stories260K.gguf");
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    public static ServerConfig config(Path model, int parallel, int maxQueue) {
        return config(model, parallel, maxQueue, 1024, false);
    }

    public static ServerConfig config(Path model, int parallel, int maxQueue, int maxModelLen, boolean strict) {
        return config(model, parallel, maxQueue, maxModelLen, strict, 0);
    }

    /** With {@code tokenDelayMillis} &gt; 0, generations hold their slots long enough to watch. */
    public static ServerConfig config(Path model, int parallel, int maxQueue, int maxModelLen, boolean strict,
            long tokenDelayMillis) {
        return new ServerConfig(model, List.of(MODEL_NAME, "alias"), maxModelLen, 2, parallel, 0, 5, "127.0.0.1", 0,
                256, maxQueue, StreamUsage.ALWAYS, strict, tokenDelayMillis, null, 5, 30, "info", ENGINE, null, true, false, null,
                FaultSettings.NONE, 0, LatencySettings.NONE, false);
    }

    /** A loaded engine with its own metrics and server state, as {@code Server.serve} builds them. */
    public record TestServer(Engine engine, EngineChoice choice, VllmMetrics metrics, ServerState state,
            AccessLogFilter accessLog) {
    }

    /** The server parts for this configuration, loaded on first use and shared afterwards. */
    public static synchronized TestServer server(ServerConfig config) {
        return SERVERS.computeIfAbsent(engineSettingsOf(config), c -> {
            VllmMetrics metrics = new VllmMetrics(c.primaryModelName(), c.maxModelLen(), c.parallel());
            try {
                EngineChoice choice = EngineChoice.resolve(c.engine(), c.nativeLibraryDir());
                if (!choice.name().equals(c.engine())) {
                    throw new IllegalStateException("tests asked for the " + c.engine() + " engine: " + choice.note());
                }
                Engine engine = Server.loadEngine(c, metrics);
                metrics.bind(engine);
                return new TestServer(engine, choice, metrics, ServerState.ready(engine),
                        new AccessLogFilter(metrics::recordHttp));
            } catch (ModelLoadException e) {
                throw new IllegalStateException("test model did not load: " + e.getMessage(), e);
            }
        });
    }

    /** The settings an engine depends on: configurations that differ only in HTTP settings share one. */
    private static ServerConfig engineSettingsOf(ServerConfig c) {
        return copy(c, null, 30, c.embeddings(), c.deterministic(), null, FaultSettings.NONE, LatencySettings.NONE);
    }

    /** The same configuration with another send timeout (the stream's wait for a client that reads nothing). */
    public static ServerConfig withSendTimeout(ServerConfig c, int seconds) {
        return copy(c, c.apiKey(), seconds, c.embeddings(), c.deterministic(), c.adminApiKey(), c.faults(), c.latency());
    }

    /** The same configuration with a bearer key required on the model routes. */
    public static ServerConfig withApiKey(ServerConfig c, String apiKey) {
        return copy(c, apiKey, c.sendTimeoutSeconds(), c.embeddings(), c.deterministic(), c.adminApiKey(), c.faults(),
                c.latency());
    }

    /** The same configuration with /v1/embeddings switched off. */
    public static ServerConfig withoutEmbeddings(ServerConfig c) {
        return copy(c, c.apiKey(), c.sendTimeoutSeconds(), false, c.deterministic(), c.adminApiKey(), c.faults(),
                c.latency());
    }

    /** The same configuration with the test controls unlocked by {@code key} and these start-up faults. */
    public static ServerConfig withFaults(ServerConfig c, String key, FaultSettings faults) {
        return copy(c, c.apiKey(), c.sendTimeoutSeconds(), c.embeddings(), c.deterministic(), key, faults, c.latency());
    }

    /** The same configuration with latency shaping. */
    public static ServerConfig withLatency(ServerConfig c, LatencySettings latency) {
        return copy(c, c.apiKey(), c.sendTimeoutSeconds(), c.embeddings(), c.deterministic(), c.adminApiKey(),
                c.faults(), latency);
    }

    /**
     * The same configuration with vLLM's dev-mode sleep endpoints. Its engine is its own: a sleep
     * frees it, so no other test may share it.
     */
    public static ServerConfig withDevMode(ServerConfig c) {
        return copy(c, c.apiKey(), c.sendTimeoutSeconds(), c.embeddings(), c.deterministic(), c.adminApiKey(),
                c.faults(), c.latency(), true);
    }

    /** The same configuration in deterministic mode. */
    public static ServerConfig deterministic(ServerConfig c) {
        return copy(c, c.apiKey(), c.sendTimeoutSeconds(), c.embeddings(), true, c.adminApiKey(), c.faults(),
                c.latency());
    }

    /** The one place a configuration is rebuilt with the settings tests vary. */
    private static ServerConfig copy(ServerConfig c, String apiKey, int sendTimeoutSeconds, boolean embeddings,
            boolean deterministic, String adminKey, FaultSettings faults, LatencySettings latency) {
        return copy(c, apiKey, sendTimeoutSeconds, embeddings, deterministic, adminKey, faults, latency, c.devMode());
    }

    private static ServerConfig copy(ServerConfig c, String apiKey, int sendTimeoutSeconds, boolean embeddings,
            boolean deterministic, String adminKey, FaultSettings faults, LatencySettings latency, boolean devMode) {
        return new ServerConfig(c.modelPath(), c.servedModelNames(), c.maxModelLen(), c.threads(), c.parallel(),
                c.gpuLayers(), c.llamaNice(), c.host(), c.port(), c.defaultMaxTokens(), c.maxQueue(), c.streamUsage(),
                c.strictModelName(), c.faultTokenDelayMillis(), apiKey, c.drainTimeoutSeconds(), sendTimeoutSeconds,
                c.logLevel(), c.engine(), c.nativeLibraryDir(), embeddings, deterministic, adminKey, faults,
                c.startupDelaySeconds(), latency, devMode);
    }

    /** Registers the real routes of {@code Server} for this configuration. */
    public static void routing(HttpRouting.Builder routing, ServerConfig config) {
        routing(routing, config, ClientConnections.NONE);
    }

    /** The same, with streams closing stalled connections through {@code connections}. */
    public static void routing(HttpRouting.Builder routing, ServerConfig config, ClientConnections connections) {
        TestServer server = server(config);
        new Server(config, server.state(), server.metrics(), server.accessLog(), connections, server.choice())
                .routing(routing);
    }

    /** The engine for this configuration, loaded on first use and shared afterwards. */
    public static Engine engine(ServerConfig config) {
        return server(config).engine();
    }
}
