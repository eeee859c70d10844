package io.inventiv.worker.api;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.concurrency.limits.Limit;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionSelector;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A header read timeout, which Helidon lacks: a connection that has not delivered a complete
 * request head within the timeout (a slowloris client trickling header bytes, or a keep-alive
 * connection left idle) is closed. Helidon's socket read timeout restarts with every byte, so it
 * cannot catch a trickle. The clock runs from the connection's start and from the end of each
 * response, and stops while a request is being handled.
 *
 * <p>It also closes a connection on request ({@link #close}): a stream whose client has stopped
 * reading ends that way.
 */
public final class SlowClientGuard implements Filter, ClientConnections {
    private final long timeoutNanos;
    private final Map<String, Watched> connections = new ConcurrentHashMap<>();
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "header-timeout");
        thread.setDaemon(true);
        return thread;
    });

    public SlowClientGuard(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
        long period = Math.max(100, timeout.toMillis() / 4);
        watchdog.scheduleAtFixedRate(this::closeSlowConnections, period, period, TimeUnit.MILLISECONDS);
    }

    /** Puts the guard in front of HTTP/1 on this server. */
    public void install(WebServerConfig.Builder server) {
        ServerConnectionSelector http1 = Http1ConnectionSelector.builder().config(Http1Config.create()).build();
        // Only our selector: a discovered HTTP/1 selector would take connections unguarded.
        server.protocolsDiscoverServices(false).addConnectionSelector(new GuardedSelector(http1));
    }

    /** Stops the clock while a request is handled, restarts it when the response is done. */
    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        Watched watched = connections.get(req.socketId());
        if (watched == null) {
            chain.proceed();
            return;
        }
        watched.awaitingSince = 0;
        try {
            chain.proceed();
        } finally {
            watched.awaitingSince = System.nanoTime();
        }
    }

    /** Closes the socket under the connection, which fails a write blocked on it. */
    @Override
    public void close(String socketId) {
        Watched watched = connections.get(socketId);
        if (watched != null) {
            watched.context.serverSocket().close();
        }
    }

    private void closeSlowConnections() {
        long now = System.nanoTime();
        connections.values().forEach(watched -> {
            long since = watched.awaitingSince;
            if (since != 0 && now - since > timeoutNanos) {
                watched.awaitingSince = 0;
                watched.connection.close(true);
            }
        });
    }

    /** Serving one connection until it ends. */
    @FunctionalInterface
    private interface Handling {
        void run() throws InterruptedException;
    }

    /** A connection and when it started waiting for a request head (0: it is not waiting). */
    private static final class Watched {
        final ServerConnection connection;
        final ConnectionContext context;
        volatile long awaitingSince = System.nanoTime();

        Watched(ServerConnection connection, ConnectionContext context) {
            this.connection = connection;
            this.context = context;
        }
    }

    /** Helidon's HTTP/1 selector, with every connection it makes registered with the watchdog. */
    private final class GuardedSelector implements ServerConnectionSelector {
        private final ServerConnectionSelector http1;

        GuardedSelector(ServerConnectionSelector http1) {
            this.http1 = http1;
        }

        @Override
        public int bytesToIdentifyConnection() {
            return http1.bytesToIdentifyConnection();
        }

        @Override
        public Support supports(BufferData data) {
            return http1.supports(data);
        }

        @Override
        public Set<String> supportedApplicationProtocols() {
            return http1.supportedApplicationProtocols();
        }

        @Override
        public ServerConnection connection(ConnectionContext ctx) {
            ServerConnection connection = http1.connection(ctx);
            String id = ctx.childSocketId(); // the same id a request reports as socketId()
            return new ServerConnection() {
                @Override
                public void handle(Semaphore requestSemaphore) throws InterruptedException {
                    watched(() -> connection.handle(requestSemaphore));
                }

                @Override
                public void handle(Limit limit) throws InterruptedException {
                    watched(() -> connection.handle(limit));
                }

                private void watched(Handling handling) throws InterruptedException {
                    connections.put(id, new Watched(connection, ctx));
                    try {
                        handling.run();
                    } finally {
                        connections.remove(id);
                    }
                }

                @Override
                public Duration idleTime() {
                    return connection.idleTime();
                }

                @Override
                public void close(boolean interrupt) {
                    connection.close(interrupt);
                }
            };
        }
    }
}
